import Foundation

/// ImageMagick 6 (`convert`, `identify`) as a source of real image files and a second opinion.
enum ImageMagick {
    struct Identity: Equatable {
        /// Stored size, as `identify -format '%w %h'` reports it (no orientation applied).
        var width: Int
        var height: Int
        /// EXIF orientation number; ImageMagick's "Undefined" reads as 1.
        var orientation: Int
    }

    struct ParseError: Error {}

    static func convert(_ arguments: [String]) throws {
        try ExternalTool.run("convert", arguments)
    }

    static func identify(_ url: URL) throws -> Identity {
        let output = try ExternalTool.run("identify", ["-format", "%w %h %[orientation]\n", url.path])
        let fields = output.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 3, let width = Int(fields[0]), let height = Int(fields[1]) else { throw ParseError() }
        return Identity(width: width, height: height, orientation: orientationNumbers[String(fields[2])] ?? 1)
    }

    private static let orientationNumbers = [
        "TopLeft": 1, "TopRight": 2, "BottomRight": 3, "BottomLeft": 4,
        "LeftTop": 5, "RightTop": 6, "RightBottom": 7, "LeftBottom": 8,
    ]
}

/// Builds an EXIF APP1 segment holding only IFD0 with an Orientation tag.
enum ExifSegment {
    static func app1(orientation: UInt16, bigEndian: Bool) -> [UInt8] {
        func u16(_ value: UInt16) -> [UInt8] {
            bigEndian ? [UInt8(value >> 8), UInt8(value & 0xFF)] : [UInt8(value & 0xFF), UInt8(value >> 8)]
        }
        func u32(_ value: UInt32) -> [UInt8] {
            let big = [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
            return bigEndian ? big : big.reversed()
        }
        let byteOrder: [UInt8] = bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]
        // Two entries: a harmless ImageDescription-less XResolution-like filler, then Orientation.
        let tiff = byteOrder + u16(42) + u32(8)
            + u16(2)
            + u16(0x011A) + u16(5) + u32(1) + u32(38) // XResolution (RATIONAL), value at offset 38
            + u16(0x0112) + u16(3) + u32(1) + u16(orientation) + u16(0)
            + u32(0) // no next IFD
            + u32(72) + u32(1) // the rational at offset 38
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        return [0xFF, 0xE1] + [UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
    }

    /// The JPEG with `segment` inserted after SOI and the JFIF APP0 that ImageMagick writes.
    static func inserting(_ segment: [UInt8], into jpeg: [UInt8]) -> [UInt8] {
        // APP0 length sits at bytes 4–5 (big-endian) right after SOI and its marker.
        guard jpeg.count > 6, jpeg[2] == 0xFF, jpeg[3] == 0xE0 else { return Array(jpeg.prefix(2)) + segment + jpeg.dropFirst(2) }
        let app0End = 4 + (Int(jpeg[4]) << 8 | Int(jpeg[5]))
        return Array(jpeg.prefix(app0End)) + segment + jpeg.dropFirst(app0End)
    }
}
