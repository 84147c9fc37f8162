/// Size of a BMP from its info header (little-endian). A negative height means rows are stored
/// top-down; the image is the same size either way.
enum BMPGeometry {
    static func read(_ reader: FileByteReader) throws -> StoredGeometry {
        guard let head = try reader.bytes(at: 0, count: 26) else { throw ImageProbeError.truncated(.bmp) }
        guard let infoSize = head.uint32(at: 14, bigEndian: false) else { throw ImageProbeError.truncated(.bmp) }
        if infoSize == 12 {
            // BITMAPCOREHEADER: unsigned 16-bit width and height.
            guard let width = head.uint16(at: 18, bigEndian: false), let height = head.uint16(at: 20, bigEndian: false),
                  width > 0, height > 0 else {
                throw ImageProbeError.malformed(.bmp, detail: "zero size in core header")
            }
            return StoredGeometry(width: Int(width), height: Int(height))
        }
        guard let width = head.int32(at: 18, bigEndian: false), let height = head.int32(at: 22, bigEndian: false),
              width > 0, height != 0, height != Int32.min else {
            throw ImageProbeError.malformed(.bmp, detail: "impossible size in info header")
        }
        return StoredGeometry(width: Int(width), height: Int(height.magnitude))
    }
}
