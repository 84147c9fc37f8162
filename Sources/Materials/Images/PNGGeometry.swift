/// Size of a PNG from its IHDR chunk, which must come first. PNG has no orientation of its own
/// (an `eXIf` chunk is not consulted), so orientation is 1.
enum PNGGeometry {
    static func read(_ reader: FileByteReader) throws -> StoredGeometry {
        guard let head = try reader.bytes(at: 0, count: 24) else { throw ImageProbeError.truncated(.png) }
        guard head.uint32(at: 8) == 13, head.fourCC(at: 12) == "IHDR",
              let width = head.uint32(at: 16), let height = head.uint32(at: 20),
              width > 0, height > 0, width <= Int32.max, height <= Int32.max else {
            throw ImageProbeError.malformed(.png, detail: "first chunk is not a valid IHDR")
        }
        return StoredGeometry(width: Int(width), height: Int(height))
    }
}
