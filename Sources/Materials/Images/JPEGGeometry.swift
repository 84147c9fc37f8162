/// Size and EXIF orientation of a JPEG, walking marker segments from SOI up to the first frame
/// header (SOFn) and skipping each segment by its length, so entropy-coded data is never read.
enum JPEGGeometry {
    /// Marker steps (segments, fill bytes, stray bytes) before we give up on a hostile file.
    static let maxSteps = 1_000_000

    /// SOF0–SOF15 carry the frame size; C4 (DHT), C8 (JPG, reserved) and CC (DAC) share the range
    /// but are not frame headers.
    static func isStartOfFrame(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
    }

    static func read(_ reader: FileByteReader) throws -> StoredGeometry {
        var offset: UInt64 = 2 // after SOI
        var orientation = 1
        var sawExif = false
        var steps = 0
        while steps < maxSteps {
            steps += 1
            guard let byte = try reader.byte(at: offset) else { throw ImageProbeError.truncated(.jpeg) }
            // Stray bytes between segments are tolerated as libjpeg does; 0xFF fill bytes too.
            guard byte == 0xFF, let marker = try reader.byte(at: offset + 1) else {
                offset += 1
                continue
            }
            if marker == 0xFF || marker == 0x00 {
                offset += 1
                continue
            }
            offset += 2
            switch marker {
            case 0xD8, 0x01, 0xD0...0xD7:
                continue // standalone markers carry no length
            case 0xD9, 0xDA:
                throw ImageProbeError.malformed(.jpeg, detail: "scan or end of image before any frame header")
            default:
                break
            }
            guard let lengthView = try reader.bytes(at: offset, count: 2), let length = lengthView.uint16(at: 0) else {
                throw ImageProbeError.truncated(.jpeg)
            }
            guard length >= 2 else { throw ImageProbeError.malformed(.jpeg, detail: "segment length below 2") }
            let payloadOffset = offset + 2
            let payloadLength = UInt64(length) - 2
            if isStartOfFrame(marker) {
                // precision (1), height (2), width (2); height 0 means it is defined later by DNL.
                guard let frame = try reader.bytes(at: payloadOffset, count: 5),
                      let height = frame.uint16(at: 1), let width = frame.uint16(at: 3) else {
                    throw ImageProbeError.truncated(.jpeg)
                }
                return StoredGeometry(width: Int(width), height: Int(height), orientation: orientation)
            }
            if marker == 0xE1, !sawExif, let exifOrientation = try exifOrientation(reader, at: payloadOffset,
                                                                                    length: payloadLength) {
                sawExif = true
                orientation = exifOrientation
            }
            offset = payloadOffset + payloadLength
        }
        throw ImageProbeError.malformed(.jpeg, detail: "no frame header found")
    }

    /// The orientation from an APP1 segment that starts with "Exif\0\0"; nil for other APP1 data
    /// (XMP). A damaged EXIF block is ignored rather than failing the image.
    private static func exifOrientation(_ reader: FileByteReader, at offset: UInt64, length: UInt64) throws -> Int? {
        let exifSignature: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]
        guard length > 6, let signature = try reader.bytes(at: offset, count: 6),
              signature.matches(exifSignature, at: 0) else { return nil }
        let tags = try? TIFFDirectory.scalarTags([TIFFDirectory.orientation], reader: reader, base: offset + 6,
                                                 limit: min(offset + length, reader.fileSize))
        return TIFFDirectory.normalizedOrientation(tags?[TIFFDirectory.orientation])
    }
}
