import Foundation
import ZIPFoundation

/// Writes a docx-shaped ZIP bomb by hand, in well under a second: `word/document.xml` is
/// 1 + 258·k spaces, deflated as one dynamic-Huffman block in which every 258-byte match costs
/// 2 bits (a ~1,032:1 ratio, the deflate maximum). Only the ~2 MiB of compressed bytes are ever
/// in memory. (Streaming 2 GiB through zlib instead takes ~40 s of CPU.)
enum ZipBomb {
    static let matches = 8_323_584  // 1 + 258·k = 2,147,484,673 bytes, just over 2 GiB

    static var uncompressedSize: UInt64 { 1 + 258 * UInt64(matches) }

    static func write(to url: URL) throws {
        let types = Data(DocxFixture.contentTypes().utf8)
        let bomb = deflatedSpaces(matches: matches)
        var zip = Data()
        var central = Data()
        var count: UInt16 = 0
        func add(_ name: String, method: UInt16, crc: UInt32, compressed: Data, size: UInt64) {
            let nameBytes = Data(name.utf8)
            let offset = UInt32(zip.count)
            zip.append(le32(0x0403_4B50)); zip.append(le16(20)); zip.append(le16(0x0800)); zip.append(le16(method))
            zip.append(le16(0)); zip.append(le16(0x21)); zip.append(le32(crc))
            zip.append(le32(UInt32(compressed.count))); zip.append(le32(UInt32(size)))
            zip.append(le16(UInt16(nameBytes.count))); zip.append(le16(0)); zip.append(nameBytes); zip.append(compressed)
            central.append(le32(0x0201_4B50)); central.append(le16(20)); central.append(le16(20))
            central.append(le16(0x0800)); central.append(le16(method)); central.append(le16(0)); central.append(le16(0x21))
            central.append(le32(crc)); central.append(le32(UInt32(compressed.count))); central.append(le32(UInt32(size)))
            central.append(le16(UInt16(nameBytes.count))); central.append(le16(0)); central.append(le16(0))
            central.append(le16(0)); central.append(le16(0)); central.append(le32(0)); central.append(le32(offset))
            central.append(nameBytes)
            count += 1
        }
        add("[Content_Types].xml", method: 0, crc: types.crc32(checksum: 0), compressed: types, size: UInt64(types.count))
        // The CRC is left 0: computing it over 2 GiB costs seconds, and no reader gets far enough to check it.
        add("word/document.xml", method: 8, crc: 0, compressed: bomb, size: uncompressedSize)
        let centralOffset = UInt32(zip.count)
        zip.append(central)
        zip.append(le32(0x0605_4B50)); zip.append(le16(0)); zip.append(le16(0)); zip.append(le16(count))
        zip.append(le16(count)); zip.append(le32(UInt32(central.count))); zip.append(le32(centralOffset))
        zip.append(le16(0))
        try zip.write(to: url)
    }

    /// RFC 1951 block: BFINAL=1, dynamic Huffman; literal/length codes 285→"0", 32→"10", 256→"11";
    /// one distance code (0, distance 1) of 1 bit. Then one " " and k × (length 258, distance 1).
    static func deflatedSpaces(matches: Int) -> Data {
        var bits = BitWriter()
        bits.write(1, count: 1)   // BFINAL
        bits.write(2, count: 2)   // BTYPE = dynamic
        bits.write(29, count: 5)  // HLIT: 286 literal/length codes
        bits.write(0, count: 5)   // HDIST: 1 distance code
        bits.write(14, count: 4)  // HCLEN: 18 code-length codes
        // Code-length code lengths in the RFC's order 16,17,18,0,8,7,9,6,10,5,11,4,12,3,13,2,14,1:
        // 18 → 1 bit ("0"), 1 → 2 bits ("10"), 2 → 2 bits ("11").
        for length in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] { bits.write(UInt32(length), count: 3) }
        func zeros(_ n: Int) { bits.huffman(0, length: 1); bits.write(UInt32(n - 11), count: 7) }  // symbol 18
        func one() { bits.huffman(0b10, length: 2) }
        func two() { bits.huffman(0b11, length: 2) }
        zeros(32); two()                 // symbols 0–31 unused, 32 (" ") has 2 bits
        zeros(138); zeros(85); two()     // 33–255 unused, 256 (end of block) has 2 bits
        zeros(28); one()                 // 257–284 unused, 285 (length 258) has 1 bit
        one()                            // distance code 0 has 1 bit
        bits.huffman(0b10, length: 2)    // literal " "
        bits.skipZeros(2 * matches)      // each match: "0" (length 258) + "0" (distance 1)
        bits.huffman(0b11, length: 2)    // end of block
        return Data(bits.bytes)
    }

    private static func le16(_ value: UInt16) -> Data { withUnsafeBytes(of: value.littleEndian) { Data($0) } }
    private static func le32(_ value: UInt32) -> Data { withUnsafeBytes(of: value.littleEndian) { Data($0) } }

    /// Deflate's bit order: values LSB-first, Huffman codes MSB-first.
    private struct BitWriter {
        var bytes: [UInt8] = []
        var bitCount = 0

        mutating func write(_ value: UInt32, count: Int) {
            for i in 0..<count { append(bit: UInt8((value >> UInt32(i)) & 1)) }
        }

        mutating func huffman(_ code: UInt32, length: Int) {
            for i in stride(from: length - 1, through: 0, by: -1) { append(bit: UInt8((code >> UInt32(i)) & 1)) }
        }

        mutating func skipZeros(_ count: Int) {
            bitCount += count
            let needed = (bitCount + 7) / 8
            if needed > bytes.count { bytes.append(contentsOf: repeatElement(0, count: needed - bytes.count)) }
        }

        private mutating func append(bit: UInt8) {
            if bitCount % 8 == 0, bitCount / 8 == bytes.count { bytes.append(0) }
            bytes[bitCount / 8] |= bit << UInt8(bitCount % 8)
            bitCount += 1
        }
    }
}
