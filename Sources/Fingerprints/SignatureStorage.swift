import Foundation

/// How a signature is stored: its values as little-endian UInt32s, 4 bytes each.
extension MinHashSignature {
    public var littleEndianData: Data {
        var data = Data(capacity: values.count * 4)
        for value in values { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    public init(littleEndianData data: Data) {
        var values: [UInt32] = []
        values.reserveCapacity(data.count / 4)
        data.withUnsafeBytes { bytes in
            for offset in stride(from: 0, to: bytes.count - 3, by: 4) {
                values.append(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            }
        }
        self.init(values: values)
    }
}
