/// The piece table of a Word 97+ document ([MS-DOC] 2.9.38 Clx, 2.9.177 PlcPcd): it maps
/// character positions to byte offsets in the WordDocument stream, piece by piece, each piece
/// stored either as cp1252 bytes ("compressed") or as UTF-16LE.
struct PieceTable: Sendable {
    private struct Piece: Sendable {
        let cpStart: UInt32
        let cpEnd: UInt32
        let fileOffset: Int
        let compressed: Bool
    }

    private let pieces: [Piece]

    init(table: LittleEndianBytes, fcClx: UInt32, lcbClx: UInt32) throws {
        do {
            var offset = Int(fcClx)
            let end = Int(fcClx) + Int(lcbClx)
            guard end <= table.count else { throw LegacyWordError.malformed("piece table outside the table stream") }
            var found: [Piece]?
            // Clx = Prc* (clxt 1, formatting we skip) then one Pcdt (clxt 2).
            while offset < end, found == nil {
                switch try table.u8(at: offset) {
                case 0x01:
                    let size = Int(Int16(bitPattern: try table.u16(at: offset + 1)))
                    guard size >= 0 else { throw LegacyWordError.malformed("negative Prc size") }
                    offset += 3 + size
                case 0x02:
                    let size = Int(try table.u32(at: offset + 1))
                    // The size sets how many pieces to reserve room for: never trust it past the
                    // bytes there are (fuzzing: 0xFFFFFFxx asked for a 2.6 GB array).
                    guard size <= table.count - (offset + 5) else {
                        throw LegacyWordError.malformed("piece table larger than the table stream")
                    }
                    found = try Self.parsePlcPcd(table, at: offset + 5, size: size)
                default:
                    throw LegacyWordError.malformed("unknown Clx entry")
                }
            }
            guard let found else { throw LegacyWordError.malformed("no piece table") }
            pieces = found
        } catch is LittleEndianBytes.OutOfBounds {
            throw LegacyWordError.malformed("piece table is truncated")
        }
    }

    private static func parsePlcPcd(_ table: LittleEndianBytes, at offset: Int, size: Int) throws -> [Piece] {
        guard size >= 4, (size - 4) % 12 == 0 else { throw LegacyWordError.malformed("bad piece table size") }
        let count = (size - 4) / 12
        let descriptors = offset + 4 * (count + 1)
        var pieces: [Piece] = []
        pieces.reserveCapacity(count)
        for i in 0..<count {
            let cpStart = try table.u32(at: offset + 4 * i)
            let cpEnd = try table.u32(at: offset + 4 * (i + 1))
            guard cpStart <= cpEnd else { throw LegacyWordError.malformed("pieces out of order") }
            let fc = try table.u32(at: descriptors + 8 * i + 2)
            let compressed = fc & 0x4000_0000 != 0
            let raw = Int(fc & 0x3FFF_FFFF)
            pieces.append(Piece(cpStart: cpStart, cpEnd: cpEnd, fileOffset: compressed ? raw / 2 : raw,
                                compressed: compressed))
        }
        return pieces
    }

    /// The UTF-16 code units of the characters in `range`, read from the WordDocument stream.
    func characters(in range: Range<UInt32>, from stream: LittleEndianBytes) throws -> [UInt16] {
        var units: [UInt16] = []
        do {
            for piece in pieces where piece.cpEnd > range.lowerBound && piece.cpStart < range.upperBound {
                let first = max(piece.cpStart, range.lowerBound), last = min(piece.cpEnd, range.upperBound)
                let skip = Int(first - piece.cpStart), length = Int(last - first)
                if piece.compressed {
                    for byte in try stream.slice(at: piece.fileOffset + skip, count: length) {
                        units.append(Self.cp1252(byte))
                    }
                } else {
                    let bytes = try stream.slice(at: piece.fileOffset + 2 * skip, count: 2 * length)
                    var index = bytes.startIndex
                    while index < bytes.endIndex {
                        units.append(UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8)
                        index += 2
                    }
                }
            }
        } catch is LittleEndianBytes.OutOfBounds {
            throw LegacyWordError.malformed("text piece outside the WordDocument stream")
        }
        return units
    }

    /// Windows-1252 differs from Latin-1 only in 0x80–0x9F.
    private static func cp1252(_ byte: UInt8) -> UInt16 {
        guard (0x80...0x9F).contains(byte) else { return UInt16(byte) }
        return high[Int(byte - 0x80)]
    }

    private static let high: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
