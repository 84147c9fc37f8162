/// Bounds-checked integer access into a byte slice, indexed from 0 whatever the slice's start.
/// Every accessor returns nil instead of trapping, because file data is never trusted.
struct BinaryView: Sendable {
    let bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }
    init(_ bytes: [UInt8]) { self.bytes = bytes[...] }

    var count: Int { bytes.count }

    func uint8(at index: Int) -> UInt8? {
        guard index >= 0, index < bytes.count else { return nil }
        return bytes[bytes.startIndex + index]
    }

    func uint16(at index: Int, bigEndian: Bool = true) -> UInt16? {
        unsigned(at: index, width: 2, bigEndian: bigEndian).map { UInt16(truncatingIfNeeded: $0) }
    }

    func uint32(at index: Int, bigEndian: Bool = true) -> UInt32? {
        unsigned(at: index, width: 4, bigEndian: bigEndian).map { UInt32(truncatingIfNeeded: $0) }
    }

    func int32(at index: Int, bigEndian: Bool = true) -> Int32? {
        uint32(at: index, bigEndian: bigEndian).map { Int32(bitPattern: $0) }
    }

    func uint64(at index: Int, bigEndian: Bool = true) -> UInt64? {
        unsigned(at: index, width: 8, bigEndian: bigEndian)
    }

    /// Four bytes as a box type or brand, each byte taken as Latin-1 so any value maps to a character.
    func fourCC(at index: Int) -> String? {
        guard index >= 0, index + 4 <= bytes.count else { return nil }
        let start = bytes.startIndex + index
        return String(bytes[start..<(start + 4)].map { Character(Unicode.Scalar($0)) })
    }

    /// True when the bytes at `index` equal `expected`.
    func matches(_ expected: [UInt8], at index: Int) -> Bool {
        guard index >= 0, index + expected.count <= bytes.count else { return false }
        let start = bytes.startIndex + index
        return bytes[start..<(start + expected.count)].elementsEqual(expected)
    }

    /// A sub-view of `length` bytes at `index`, or nil when it would leave the view.
    func slice(at index: Int, length: Int) -> BinaryView? {
        guard index >= 0, length >= 0, index + length <= bytes.count else { return nil }
        let start = bytes.startIndex + index
        return BinaryView(bytes[start..<(start + length)])
    }

    private func unsigned(at index: Int, width: Int, bigEndian: Bool) -> UInt64? {
        guard index >= 0, index + width <= bytes.count else { return nil }
        let start = bytes.startIndex + index
        var value: UInt64 = 0
        for position in 0..<width {
            let byte = bytes[start + (bigEndian ? position : width - 1 - position)]
            value = value << 8 | UInt64(byte)
        }
        return value
    }
}
