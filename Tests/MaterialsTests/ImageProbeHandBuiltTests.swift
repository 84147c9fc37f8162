import Foundation
import Testing
@testable import Materials

/// Magic-byte detection and hand-built files for cases ImageMagick cannot make.
@Suite("ImageProbe on hand-built bytes")
struct ImageProbeHandBuiltTests {
    typealias B = ISOBoxBuilder

    private func probe(_ bytes: [UInt8], name: String = "upload.bin") throws -> ImageInfo? {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        return try ImageProbe.probe(fileAt: directory.write(bytes, to: name))
    }

    // MARK: format(ofHeader:)

    @Test func magicBytes() {
        #expect(ImageProbe.format(ofHeader: [0xFF, 0xD8, 0xFF]) == .jpeg)
        #expect(ImageProbe.format(ofHeader: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) == .png)
        #expect(ImageProbe.format(ofHeader: Array("II*\0".utf8)) == .tiff)
        #expect(ImageProbe.format(ofHeader: Array("MM\0*".utf8)) == .tiff)
        #expect(ImageProbe.format(ofHeader: Array("BM".utf8) + B.zeros(12) + [40, 0, 0, 0]) == .bmp)
    }

    @Test func notImages() {
        #expect(ImageProbe.format(ofHeader: []) == nil)
        #expect(ImageProbe.format(ofHeader: [0xFF, 0xD8]) == nil)
        #expect(ImageProbe.format(ofHeader: Array("II+\0".utf8)) == nil) // BigTIFF
        #expect(ImageProbe.format(ofHeader: Array("BM is how this note starts, not a bitmap".utf8)) == nil)
        #expect(ImageProbe.format(ofHeader: Array("%PDF-1.7\n".utf8)) == nil)
        #expect(ImageProbe.format(ofHeader: B.fileType(major: "isom", compatible: ["isom", "mp41"])) == nil)
    }

    @Test(arguments: [
        ("heic", ["mif1", "heic"], ImageFormat?.some(.heif)),
        ("heix", ["mif1", "heix"], .heif),
        ("mif1", ["mif1", "heic", "miaf"], .heif),
        ("msf1", ["msf1", "hevc"], .heif),
        ("mif1", ["mif1"], .heif),
        ("avif", ["avif", "mif1", "miaf"], nil),
        ("mif1", ["mif1", "avif", "miaf"], nil),
        ("avis", ["avis", "msf1"], nil),
        ("isom", ["isom", "heic"], .heif),
        ("mp42", ["mp42", "isom"], nil),
    ])
    func heifBrands(major: String, compatible: [String], expected: ImageFormat?) {
        let header = B.fileType(major: major, compatible: compatible)
        #expect(ImageProbe.format(ofHeader: header) == expected)
        // The first 32 bytes suffice for these brand lists.
        #expect(ImageProbe.format(ofHeader: header.prefix(32)) == expected)
    }

    // MARK: Files that are not (whole) images

    @Test func textNamedJPGIsNotAnImage() throws {
        #expect(try probe(Array("推荐材料说明\nnot a photo".utf8), name: "photo.jpg") == nil)
    }

    @Test func emptyFileIsNotAnImage() throws {
        #expect(try probe([], name: "photo.png") == nil)
    }

    @Test func truncatedPNGThrows() throws {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        #expect(throws: ImageProbeError.truncated(.png)) { try probe(signature + [0, 0, 0, 13]) }
    }

    @Test func pngWithoutLeadingIHDRIsMalformed() throws {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let bytes = signature + B.u32(13) + B.fourCC("tEXt") + B.zeros(20)
        #expect(throws: ImageProbeError.malformed(.png, detail: "first chunk is not a valid IHDR")) { try probe(bytes) }
    }

    @Test func jpegWithScanBeforeFrameIsMalformed() throws {
        let bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08] + B.zeros(40)
        #expect(throws: ImageProbeError.malformed(.jpeg, detail: "scan or end of image before any frame header")) {
            try probe(bytes)
        }
    }

    @Test func jpegSegmentLengthLieIsTruncated() throws {
        // An APP1 claiming 60 000 bytes in a 30-byte file.
        let bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, 0xEA, 0x60] + B.zeros(24)
        #expect(throws: ImageProbeError.truncated(.jpeg)) { try probe(bytes) }
    }

    /// SOF2 (progressive) after fill bytes and a DHT (C4, which is not a frame header).
    @Test func jpegFrameMarkersAndFillBytes() throws {
        let dht: [UInt8] = [0xFF, 0xC4, 0x00, 0x04, 0x00, 0x00]
        let sof2: [UInt8] = [0xFF, 0xFF, 0xC2, 0x00, 0x11, 0x08, 0x0B, 0xB8, 0x0F, 0xA0, 0x03] + B.zeros(9)
        let info = try probe([0xFF, 0xD8] + dht + sof2 + [0xFF, 0xD9])
        #expect(info?.width == 4000 && info?.height == 3000)
    }

    // MARK: TIFF and BMP variants

    /// Big-endian TIFF with LONG width, SHORT height and orientation 8, IFD placed after the "pixels".
    @Test func bigEndianTIFFWithLongTags() throws {
        let ifdOffset: UInt32 = 8 + 16
        let header = Array("MM".utf8) + B.u16(42) + B.u32(ifdOffset) + B.zeros(16)
        let ifd = B.u16(3)
            + B.u16(0x0100) + B.u16(4) + B.u32(1) + B.u32(70_000)
            + B.u16(0x0101) + B.u16(3) + B.u32(1) + B.u16(2_000) + B.u16(0)
            + B.u16(0x0112) + B.u16(3) + B.u32(1) + B.u16(8) + B.u16(0)
            + B.u32(0)
        let info = try probe(header + ifd)
        #expect(info == ImageInfo(format: .tiff, width: 2_000, height: 70_000, orientation: 8,
                                  fileSize: header.count + ifd.count))
    }

    @Test func tiffWithIFDPastEndThrows() throws {
        let bytes = Array("II".utf8) + [42, 0] + [0x00, 0x10, 0x00, 0x00] + B.zeros(8)
        #expect(throws: ImageProbeError.truncated(.tiff)) { try probe(bytes) }
    }

    // MARK: HEIF

    /// A HEIF shaped like an iPhone photo: the primary item is a 4032×3024 grid rotated by `irot`,
    /// item 2 a 320×240 thumbnail with its own `ispe`.
    private func heif(primary: UInt32? = 1, rotation: UInt8? = 1, ipmaVersion: UInt8 = 0, wideIndices: Bool = false,
                      includeAssociations: Bool = true) -> [UInt8] {
        func itemID(_ id: UInt32) -> [UInt8] { ipmaVersion == 0 ? B.u16(UInt16(id)) : B.u32(id) }
        func index(_ value: UInt16, essential: Bool) -> [UInt8] {
            wideIndices ? B.u16(value | (essential ? 0x8000 : 0)) : [UInt8(value) | (essential ? 0x80 : 0)]
        }
        var properties = [B.fullBox("ispe", version: 0, B.u32(320) + B.u32(240)),
                          B.box("pixi", B.zeros(4)),
                          B.fullBox("ispe", version: 0, B.u32(4032) + B.u32(3024))]
        var primaryIndices = index(3, essential: false)
        if let rotation {
            properties.append(B.box("irot", [rotation]))
            primaryIndices += index(4, essential: true)
        }
        let ipma = B.fullBox("ipma", version: ipmaVersion, flags: wideIndices ? 1 : 0,
                             B.u32(2)
                             + itemID(1) + [UInt8(rotation == nil ? 1 : 2)] + primaryIndices
                             + itemID(2) + [2] + index(1, essential: false) + index(2, essential: false))
        let infe1 = B.fullBox("infe", version: 2, B.u16(1) + B.u16(0) + B.fourCC("grid") + [0])
        let infe2 = B.fullBox("infe", version: 2, B.u16(2) + B.u16(0) + B.fourCC("hvc1") + [0])
        var meta: [[UInt8]] = [B.fullBox("hdlr", version: 0, B.u32(0) + B.fourCC("pict") + B.zeros(12) + [0])]
        if let primary { meta.append(B.fullBox("pitm", version: 0, B.u16(UInt16(primary)))) }
        meta.append(B.fullBox("iinf", version: 0, B.u16(2) + infe1 + infe2))
        meta.append(B.box("iprp", children: [B.box("ipco", children: properties)] + (includeAssociations ? [ipma] : [])))
        return B.fileType(major: "heic", compatible: ["mif1", "heic"])
            + B.fullBox("meta", version: 0, meta.flatMap { $0 })
            + B.box("mdat", B.zeros(32))
    }

    @Test(arguments: [(UInt8(0), 4032, 3024, 1), (1, 3024, 4032, 8), (2, 4032, 3024, 3), (3, 3024, 4032, 6)])
    func heifPrimaryItemWithRotation(irot: UInt8, width: Int, height: Int, orientation: Int) throws {
        let info = try probe(heif(rotation: irot), name: "IMG_0001.HEIC")
        #expect(info?.format == .heif)
        #expect(info?.width == width && info?.height == height)
        #expect(info?.orientation == orientation)
    }

    @Test func heifVersion1AssociationsWithWideIndices() throws {
        let info = try probe(heif(ipmaVersion: 1, wideIndices: true))
        #expect(info?.width == 3024 && info?.height == 4032 && info?.orientation == 8)
    }

    @Test func heifFollowsThePrimaryItemNotTheLargest() throws {
        let info = try probe(heif(primary: 2))
        #expect(info?.width == 320 && info?.height == 240 && info?.orientation == 1)
    }

    @Test func heifWithoutPrimaryItemUsesLargestExtent() throws {
        let info = try probe(heif(primary: nil))
        #expect(info?.width == 4032 && info?.height == 3024 && info?.orientation == 1)
        let noAssociations = try probe(heif(includeAssociations: false))
        #expect(noAssociations?.width == 4032 && noAssociations?.height == 3024)
    }

    @Test func heifWithoutMetaIsMalformed() throws {
        let bytes = B.fileType(major: "heic", compatible: ["mif1", "heic"]) + B.box("mdat", B.zeros(8))
        #expect(throws: ImageProbeError.malformed(.heif, detail: "no meta box")) { try probe(bytes) }
    }

    @Test func heifCutShortIsTruncated() throws {
        let whole = heif()
        #expect(throws: ImageProbeError.truncated(.heif)) { try probe(Array(whole.prefix(whole.count - 10))) }
    }

    /// Found by fuzzing (Fuzz/findings/image/crash-heif-ispe-area-overflow): with no usable
    /// primary item, the largest ispe was chosen by width * height in Int, which traps for two
    /// 32-bit sides near 0xFFFFFFFF; the probe now compares areas in UInt64.
    @Test func heifHugeSpatialExtentsDoNotTrap() throws {
        let finding = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/findings/image/crash-heif-ispe-area-overflow")
        let info = try ImageProbe.probe(fileAt: finding)
        #expect(info?.format == .heif)
        #expect(info?.width == 0xFFFF_FFBF)  // the first ispe: 0xFFFFFFBF × 0xFF000040
    }
}
