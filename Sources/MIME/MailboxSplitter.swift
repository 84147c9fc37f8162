import Foundation

/// Finds the messages of an mbox file: each starts at a line beginning with `From ` (mboxrd:
/// body lines that begin so are escaped as `>From `; a UTF-8 byte order mark before the first
/// line is tolerated). Returns the byte ranges of the messages without their `From ` lines.
enum MailboxSplitter {
    static let fromPrefix = Array("From ".utf8)
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func messageRanges(inFileAt path: String) throws -> [Range<Int64>] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MIMEError.cannotOpen(path: path, reason: "not readable")
        }
        defer { try? handle.close() }
        var starts: [(fromLine: Int64, body: Int64)] = []
        var offset: Int64 = 0
        if try handle.read(upToCount: 3).map(Array.init) == byteOrderMark {
            offset = 3
        } else {
            try handle.seek(toOffset: 0)
        }
        var atLineStart = true
        var currentLine: [UInt8] = []      // only the first bytes of a line are needed
        var lineStart: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            for byte in chunk {
                if atLineStart { lineStart = offset; currentLine.removeAll(keepingCapacity: true) }
                atLineStart = byte == 0x0A
                offset += 1
                if currentLine.count < 5 { currentLine.append(byte) }
                if byte == 0x0A, currentLine == fromPrefix {
                    starts.append((lineStart, offset))
                }
            }
        }
        return starts.enumerated().map { index, start in
            let end = index + 1 < starts.count ? starts[index + 1].fromLine : offset
            return start.body..<max(start.body, end)
        }
    }
}
