/// Bounds-checked little-endian reads over bytes from an untrusted file: every read either
/// succeeds inside the buffer or throws, never traps.
struct LittleEndianBytes: Sendable {
    struct OutOfBounds: Error, Sendable {}

    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var count: Int { bytes.count }

    func u8(at offset: Int) throws -> UInt8 {
        guard offset >= 0, offset < bytes.count else { throw OutOfBounds() }
        return bytes[offset]
    }

    func u16(at offset: Int) throws -> UInt16 {
        guard offset >= 0, offset <= bytes.count - 2 else { throw OutOfBounds() }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    func u32(at offset: Int) throws -> UInt32 {
        guard offset >= 0, offset <= bytes.count - 4 else { throw OutOfBounds() }
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
            | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    func slice(at offset: Int, count length: Int) throws -> ArraySlice<UInt8> {
        guard offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset else {
            throw OutOfBounds()
        }
        return bytes[offset ..< offset + length]
    }
}
