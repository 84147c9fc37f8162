import Foundation
import Testing
@testable import Materials

/// Real files from ImageMagick 6.9 (libjpeg-turbo, libpng, libtiff, libheif), checked against identify.
@Suite("ImageProbe on ImageMagick-made files")
struct ImageProbeImageMagickTests {
    /// Makes `name` from an ImageMagick source spec and returns its probe result and identify's view.
    private func make(_ name: String, _ arguments: [String], in directory: TemporaryDirectory)
        throws -> (info: ImageInfo?, identity: ImageMagick.Identity) {
        let url = directory.file(name)
        try ImageMagick.convert(arguments + [url.path])
        return (try ImageProbe.probe(fileAt: url), try ImageMagick.identify(url))
    }

    @Test func jpeg() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (info, identity) = try make("photo.jpg", ["-size", "640x480", "gradient:red-blue"], in: directory)
        let probed = try #require(info)
        #expect(probed.format == .jpeg)
        #expect(probed.width == identity.width && probed.height == identity.height)
        #expect(probed.width == 640 && probed.height == 480 && probed.orientation == 1)
        let size = try FileManager.default.attributesOfItem(atPath: directory.file("photo.jpg").path)[.size] as? Int
        #expect(probed.fileSize == size)
    }

    @Test func progressiveJPEG() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (info, identity) = try make("progressive.jpeg", ["-size", "801x333", "plasma:", "-interlace", "JPEG"],
                                        in: directory)
        #expect(info == ImageInfo(format: .jpeg, width: identity.width, height: identity.height,
                                  fileSize: info?.fileSize ?? -1))
        #expect(identity.width == 801 && identity.height == 333)
    }

    /// ImageMagick's JPEG writer ignores `-orient` (no EXIF), so an EXIF APP1 is spliced in by hand
    /// and identify confirms it is valid.
    @Test(arguments: [(UInt16(6), true), (8, false), (3, true), (5, false), (1, false)])
    func jpegExifOrientation(orientation: UInt16, bigEndian: Bool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let plain = directory.file("plain.jpg")
        try ImageMagick.convert(["-size", "400x300", "gradient:", plain.path])
        let rotated = try directory.write(
            ExifSegment.inserting(ExifSegment.app1(orientation: orientation, bigEndian: bigEndian),
                                  into: [UInt8](Data(contentsOf: plain))),
            to: "rotated.jpg")
        let identity = try ImageMagick.identify(rotated)
        #expect(identity == ImageMagick.Identity(width: 400, height: 300, orientation: Int(orientation)))

        let info = try #require(try ImageProbe.probe(fileAt: rotated))
        let swapped = (5...8).contains(orientation)
        #expect(info.orientation == Int(orientation))
        #expect(info.width == (swapped ? 300 : 400))
        #expect(info.height == (swapped ? 400 : 300))
    }

    @Test func png() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (info, identity) = try make("image.png", ["-size", "1234x567", "gradient:", "-define", "png:color-type=2"],
                                        in: directory)
        #expect(info?.format == .png)
        #expect(info?.width == identity.width && info?.height == identity.height)
        #expect(info?.width == 1234 && info?.height == 567)
    }

    @Test(arguments: ["lsb", "msb"])
    func tiffWithOrientation(endian: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (info, identity) = try make("scan.tif", ["-size", "640x480", "gradient:", "-define", "tiff:endian=\(endian)",
                                                     "-orient", "RightTop"], in: directory)
        #expect(identity == ImageMagick.Identity(width: 640, height: 480, orientation: 6))
        #expect(info?.format == .tiff)
        #expect(info?.orientation == 6)
        #expect(info?.width == 480 && info?.height == 640)
    }

    /// BMP (v5 header, 124 bytes), BMP3 (BITMAPINFOHEADER, 40) and BMP2 (BITMAPCOREHEADER, 12).
    @Test(arguments: ["BMP", "BMP3", "BMP2"])
    func bmp(variant: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.file("picture.bmp")
        try ImageMagick.convert(["-size", "300x200", "gradient:", "\(variant):\(url.path)"])
        let identity = try ImageMagick.identify(url)
        let info = try ImageProbe.probe(fileAt: url)
        #expect(info?.format == .bmp)
        #expect(info?.width == identity.width && info?.height == identity.height)
        #expect(info?.width == 300 && info?.height == 200)
    }

    /// A negative height marks a top-down BMP; flipping the sign of ImageMagick's bottom-up file
    /// makes one that identify still reads at the same size.
    @Test func topDownBMP() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = directory.file("bottom-up.bmp")
        try ImageMagick.convert(["-size", "300x200", "gradient:", "BMP3:\(source.path)"])
        var bytes = [UInt8](try Data(contentsOf: source))
        let negative = withUnsafeBytes(of: Int32(-200).littleEndian, Array.init)
        bytes.replaceSubrange(22..<26, with: negative)
        let topDown = try directory.write(bytes, to: "top-down.bmp")
        let identity = try ImageMagick.identify(topDown)
        #expect(identity.width == 300 && identity.height == 200)
        let info = try ImageProbe.probe(fileAt: topDown)
        #expect(info?.width == 300 && info?.height == 200)
    }

    @Test func heicFromLibheif() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (info, identity) = try make("photo.heic", ["-size", "640x480", "gradient:"], in: directory)
        #expect(info?.format == .heif)
        #expect(info?.width == identity.width && info?.height == identity.height)
        #expect(info?.width == 640 && info?.height == 480 && info?.orientation == 1)
    }

    @Test func avifIsNotAccepted() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.file("photo.heic") // the name lies; the ftyp says avif
        try ImageMagick.convert(["-size", "64x48", "gradient:", "avif:\(url.path)"])
        #expect(try ImageProbe.probe(fileAt: url) == nil)
    }

    @Test func pngNamedJPGIsPNG() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.file("looks-like.jpg")
        try ImageMagick.convert(["-size", "320x240", "gradient:", "png:\(url.path)"])
        let info = try ImageProbe.probe(fileAt: url)
        #expect(info?.format == .png)
        #expect(info?.width == 320 && info?.height == 240)
    }

    @Test func truncatedJPEGThrows() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let whole = directory.file("whole.jpg")
        try ImageMagick.convert(["-size", "320x240", "gradient:", whole.path])
        let bytes = [UInt8](try Data(contentsOf: whole))
        // 40 bytes: SOI, APP0 and part of the first DQT — the frame header is gone.
        let cut = try directory.write(Array(bytes.prefix(40)), to: "cut.jpg")
        #expect(throws: ImageProbeError.truncated(.jpeg)) { try ImageProbe.probe(fileAt: cut) }
        // Cut after the frame header: the size is still known (the scan is never read).
        let half = try directory.write(Array(bytes.prefix(bytes.count / 2)), to: "half.jpg")
        #expect(try ImageProbe.probe(fileAt: half)?.width == 320)
    }
}
