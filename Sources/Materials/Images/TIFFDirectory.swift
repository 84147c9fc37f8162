/// Reads scalar tags from the first image file directory (IFD0) of a TIFF structure, which both
/// TIFF files and JPEG EXIF blocks use. Offsets inside are relative to the TIFF header at `base`.
enum TIFFDirectory {
    static let imageWidth: UInt16 = 0x0100
    static let imageLength: UInt16 = 0x0101
    static let orientation: UInt16 = 0x0112
    /// Real IFD0s hold a few dozen entries.
    static let maxEntries = 4096

    enum Failure: Error { case truncated, malformed(String) }

    /// Values of the wanted tags found in IFD0 with type SHORT (3) or LONG (4) and at least one value.
    /// `limit` is where the TIFF structure ends (the file end, or the end of the EXIF segment).
    static func scalarTags(_ wanted: Set<UInt16>, reader: FileByteReader, base: UInt64,
                           limit: UInt64) throws -> [UInt16: UInt32] {
        guard let header = try bytes(reader, at: base, count: 8, limit: limit) else { throw Failure.truncated }
        let bigEndian: Bool
        if header.matches([0x4D, 0x4D], at: 0) {
            bigEndian = true
        } else if header.matches([0x49, 0x49], at: 0) {
            bigEndian = false
        } else {
            throw Failure.malformed("unknown TIFF byte order")
        }
        guard header.uint16(at: 2, bigEndian: bigEndian) == 42,
              let ifdOffset = header.uint32(at: 4, bigEndian: bigEndian), ifdOffset >= 8 else {
            throw Failure.malformed("bad TIFF header")
        }
        let ifdStart = base + UInt64(ifdOffset)
        guard let countView = try bytes(reader, at: ifdStart, count: 2, limit: limit),
              let entryCount = countView.uint16(at: 0, bigEndian: bigEndian) else { throw Failure.truncated }
        guard entryCount > 0, Int(entryCount) <= maxEntries else { throw Failure.malformed("bad IFD entry count") }
        guard let entries = try bytes(reader, at: ifdStart + 2, count: Int(entryCount) * 12, limit: limit) else {
            throw Failure.truncated
        }
        var found: [UInt16: UInt32] = [:]
        for index in 0..<Int(entryCount) {
            let entry = index * 12
            guard let tag = entries.uint16(at: entry, bigEndian: bigEndian), wanted.contains(tag),
                  let type = entries.uint16(at: entry + 2, bigEndian: bigEndian),
                  let count = entries.uint32(at: entry + 4, bigEndian: bigEndian), count >= 1 else { continue }
            // A single SHORT or LONG sits left-justified in the 4-byte value field.
            switch type {
            case 3: found[tag] = entries.uint16(at: entry + 8, bigEndian: bigEndian).map(UInt32.init)
            case 4: found[tag] = entries.uint32(at: entry + 8, bigEndian: bigEndian)
            default: continue
            }
        }
        return found
    }

    /// An EXIF orientation 1–8, or 1 for absent or out-of-range values.
    static func normalizedOrientation(_ value: UInt32?) -> Int {
        guard let value, (1...8).contains(value) else { return 1 }
        return Int(value)
    }

    private static func bytes(_ reader: FileByteReader, at offset: UInt64, count: Int,
                              limit: UInt64) throws -> BinaryView? {
        guard offset <= limit, UInt64(count) <= limit - offset else { return nil }
        return try reader.bytes(at: offset, count: count)
    }
}
