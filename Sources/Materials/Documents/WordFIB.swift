/// The parts of a Word 97+ File Information Block ([MS-DOC] 2.5.1) the text reader needs: where
/// the piece table is, which table stream holds it, and how long each story is.
struct WordFIB: Sendable {
    let usesTable1: Bool
    let fcClx: UInt32
    let lcbClx: UInt32
    /// Character-position ranges to read, in output order: main text, text boxes, footnotes, endnotes.
    let readableRanges: [Range<UInt32>]

    init(_ stream: LittleEndianBytes) throws {
        do {
            guard try stream.u16(at: 0) == 0xA5EC else { throw LegacyWordError.notAWordDocument }
            // Word 97 writes nFib 0xC1 (some writers 0xC0); Word 6/95 used 0x65–0x68 with another layout.
            guard try stream.u16(at: 2) >= 0x00C0 else { throw LegacyWordError.unsupportedVersion }
            let flags = try stream.u16(at: 0x0A)
            let encrypted = flags & 0x0100 != 0, obfuscated = flags & 0x8000 != 0
            if encrypted || obfuscated { throw LegacyWordError.encrypted }
            usesTable1 = flags & 0x0200 != 0

            // FibBase (32 bytes), then csw + fibRgW, cslw + fibRgLw, cbRgFcLcb + fibRgFcLcb.
            let csw = Int(try stream.u16(at: 32))
            let cslwOffset = 34 + csw * 2
            let cslw = Int(try stream.u16(at: cslwOffset))
            let rgLw = cslwOffset + 2
            guard cslw >= 11 else { throw LegacyWordError.malformed("FIB too short") }
            let cbRgFcLcbOffset = rgLw + cslw * 4
            let cbRgFcLcb = Int(try stream.u16(at: cbRgFcLcbOffset))
            guard cbRgFcLcb >= 34 else { throw LegacyWordError.malformed("FIB too short") }
            let rgFcLcb = cbRgFcLcbOffset + 2
            fcClx = try stream.u32(at: rgFcLcb + 33 * 8)
            lcbClx = try stream.u32(at: rgFcLcb + 33 * 8 + 4)

            func count(_ index: Int) throws -> UInt32 { try stream.u32(at: rgLw + 4 * index) }
            let ccpText = try count(3), ccpFtn = try count(4), ccpHdd = try count(5)
            let ccpAtn = try count(7), ccpEdn = try count(8), ccpTxbx = try count(9)
            // Stories follow each other in CP space: main, footnotes, headers, comments, endnotes, text boxes.
            var ranges: [String: Range<UInt32>] = [:]
            var start: UInt32 = 0
            for (name, length) in [("main", ccpText), ("ftn", ccpFtn), ("hdd", ccpHdd), ("atn", ccpAtn),
                                   ("edn", ccpEdn), ("txbx", ccpTxbx)] {
                let (end, overflow) = start.addingReportingOverflow(length)
                guard !overflow else { throw LegacyWordError.malformed("story lengths overflow") }
                ranges[name] = start ..< end
                start = end
            }
            readableRanges = ["main", "txbx", "ftn", "edn"].compactMap { ranges[$0] }.filter { !$0.isEmpty }
        } catch is LittleEndianBytes.OutOfBounds {
            throw LegacyWordError.malformed("FIB is truncated")
        }
    }
}
