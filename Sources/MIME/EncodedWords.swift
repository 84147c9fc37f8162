import Foundation

/// RFC 2047 encoded words, decoded the way Chinese mail needs them.
///
/// Why not GMime's own decoder: GMime 3.2.13 drops every word after the first when two
/// adjacent B-words in one charset follow a word that ends in `=` padding, and clients split
/// Chinese subjects inside a character all the time. So adjacent words in the same charset are
/// joined as *bytes* first and converted once, which also repairs characters split between words.
public enum EncodedWords {
    /// Decodes an unstructured header value (Subject, Comments, List-Id text …) from raw bytes:
    /// unfolded, encoded words decoded, raw 8-bit text taken as UTF-8 or else GB18030, trimmed.
    public static func decodeUnstructured(_ raw: some Collection<UInt8>) -> String {
        let bytes = unfold(Array(raw))
        if isPlainASCII(bytes) {  // the common case (Received, DKIM …): nothing to decode
            return String(decoding: bytes, as: UTF8.self).trimmingSpacesAndTabs()
        }
        var text = ""
        for segment in segments(of: bytes) {
            switch segment {
            case .literal(let bytes): text += Charset.decode(bytes, label: nil)
            case .encoded(let charset, let bytes): text += Charset.decode(bytes, label: charset)
            }
        }
        return text.trimmingSpacesAndTabs()
    }

    /// True when the bytes are ASCII and hold no `=?` that could start an encoded word.
    static func isPlainASCII(_ bytes: [UInt8]) -> Bool {
        var previous: UInt8 = 0
        for byte in bytes {
            if byte >= 0x80 || (previous == UInt8(ascii: "=") && byte == UInt8(ascii: "?")) { return false }
            previous = byte
        }
        return true
    }

    /// Rewrites every run of adjacent same-charset encoded words as one UTF-8 B-word, leaving
    /// everything else byte for byte. Structured headers (addresses, parameters) are repaired
    /// this way and then handed to GMime's parsers, which decode a single word correctly.
    public static func repair(_ raw: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        for segment in segments(of: rejoiningFoldedWords(Array(raw))) {
            switch segment {
            case .literal(let bytes):
                output += bytes
            case .encoded(let charset, let bytes):
                let utf8 = Array(Charset.decode(bytes, label: charset).utf8)
                output += Array("=?UTF-8?B?".utf8) + Base64.encode(utf8) + Array("?=".utf8)
            }
        }
        return output
    }

    enum Segment: Equatable {
        case literal([UInt8])
        /// Decoded bytes of one or more adjacent words sharing a charset label.
        case encoded(charset: String, bytes: [UInt8])
    }

    /// Splits a header value into literal text and decoded encoded-word runs. White space
    /// between two encoded words is dropped (RFC 2047 §6.2); adjacent words in the same
    /// charset are merged into one run.
    static func segments(of bytes: [UInt8]) -> [Segment] {
        var result: [Segment] = []
        var literal: [UInt8] = []
        // The run of same-charset words being joined. It stays out of `result` until it ends so
        // that each word appends in place: copying the run per word made a header of n words cost
        // O(n²) (fuzzing: 8,000 words, 12 s).
        var run: (charset: String, bytes: [UInt8])?
        func endRun() {
            if let ended = run { result.append(.encoded(charset: ended.charset, bytes: ended.bytes)) }
            run = nil
        }
        var index = 0
        while index < bytes.count {
            if let word = EncodedWord.parse(bytes, at: index) {
                if let current = run?.charset, literal.allSatisfy(isLinearWhiteSpace) {
                    if sameCharset(current, word.charset) {
                        run!.bytes += word.decoded
                    } else {
                        endRun()
                        run = (word.charset, word.decoded)
                    }
                } else {
                    endRun()
                    if !literal.isEmpty { result.append(.literal(literal)) }
                    run = (word.charset, word.decoded)
                }
                literal = []
                index = word.end
            } else {
                literal.append(bytes[index])
                index += 1
            }
        }
        endRun()
        if !literal.isEmpty { result.append(.literal(literal)) }
        return result
    }

    static func sameCharset(_ a: String, _ b: String) -> Bool {
        let canonicalA = Charset.canonicalName(forLabel: a) ?? a.lowercased()
        let canonicalB = Charset.canonicalName(forLabel: b) ?? b.lowercased()
        return canonicalA == canonicalB
    }

    /// RFC 5322 unfolding: a line break followed by white space is removed, the white space kept;
    /// an encoded word folded in its middle is put back together first.
    static func unfold(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        for byte in rejoiningFoldedWords(bytes) where byte != 0x0D && byte != 0x0A { output.append(byte) }
        return output
    }

    /// Some mailers fold a long encoded word in its middle (`=?UTF-8?B?5Y2K…5LiA` CRLF SP
    /// `5omA…?=`); unfolding leaves a space inside the word and nobody decodes it. When a word
    /// has no end on its line but ends after one or more folds with nothing else in between,
    /// the folds (line break and indentation) are removed. Python's `email` (default policy)
    /// decodes such a subject too; Thunderbird stops at the line break and shows it raw.
    static func rejoiningFoldedWords(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(where: { $0 == 0x0A || $0 == 0x0D }), bytes.contains(UInt8(ascii: "?")) else { return bytes }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard let textStart = EncodedWord.textStart(bytes, at: index) else {
                // Copy up to the next "=" that may start a word.
                let next = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "=")) ?? bytes.count
                output += bytes[index..<next]
                index = next
                continue
            }
            var scan = textStart
            var folds: [Range<Int>] = []
            var end: Int?
            while scan < bytes.count {
                if bytes[scan] == UInt8(ascii: "?"), scan + 1 < bytes.count, bytes[scan + 1] == UInt8(ascii: "=") {
                    end = scan + 2
                    break
                }
                if bytes[scan] == 0x0D || bytes[scan] == 0x0A {
                    var after = scan
                    while after < bytes.count, bytes[after] == 0x0D || bytes[after] == 0x0A { after += 1 }
                    guard after < bytes.count, bytes[after] == 0x20 || bytes[after] == 0x09 else { break }
                    while after < bytes.count, bytes[after] == 0x20 || bytes[after] == 0x09 { after += 1 }
                    if EncodedWord.textStart(bytes, at: after) != nil { break }  // a new word, not the rest of this one
                    folds.append(scan..<after)
                    scan = after
                    continue
                }
                if bytes[scan] == 0x20 || bytes[scan] == 0x09 { break }
                scan += 1
            }
            // Not a word, or a whole one: copy what was scanned (a later start would stop at the same place).
            guard let end, !folds.isEmpty else {
                output += bytes[index..<max(index + 1, scan)]
                index = max(index + 1, scan)
                continue
            }
            var kept = index
            for fold in folds {
                output += bytes[kept..<fold.lowerBound]
                kept = fold.upperBound
            }
            output += bytes[kept..<end]
            index = end
        }
        return output
    }

    static func isLinearWhiteSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}

/// One `=?charset?B|Q?text?=` token.
struct EncodedWord {
    let charset: String
    let decoded: [UInt8]
    /// Index just past the closing `?=`.
    let end: Int

    /// The index of the encoded text when `=?charset?B?` or `=?charset?Q?` starts at `start`.
    static func textStart(_ bytes: [UInt8], at start: Int) -> Int? {
        let question = UInt8(ascii: "?")
        guard start + 1 < bytes.count, bytes[start] == UInt8(ascii: "="), bytes[start + 1] == question else { return nil }
        var index = start + 2
        while index < bytes.count, bytes[index] != question, !EncodedWords.isLinearWhiteSpace(bytes[index]) { index += 1 }
        guard index + 2 < bytes.count, bytes[index] == question, index > start + 2, bytes[index + 2] == question else { return nil }
        let encoding = bytes[index + 1] | 0x20
        guard encoding == UInt8(ascii: "b") || encoding == UInt8(ascii: "q") else { return nil }
        return index + 3
    }

    static func parse(_ bytes: [UInt8], at start: Int) -> EncodedWord? {
        let question = UInt8(ascii: "?")
        guard start + 1 < bytes.count, bytes[start] == UInt8(ascii: "="), bytes[start + 1] == question else { return nil }
        var index = start + 2
        let charsetStart = index
        while index < bytes.count, bytes[index] != question, !EncodedWords.isLinearWhiteSpace(bytes[index]) { index += 1 }
        guard index + 2 < bytes.count, bytes[index] == question, index > charsetStart,
              bytes[index + 2] == question else { return nil }
        let charset = String(decoding: bytes[charsetStart..<index], as: UTF8.self)
        let encoding = bytes[index + 1] | 0x20  // lower-case
        guard encoding == UInt8(ascii: "b") || encoding == UInt8(ascii: "q") else { return nil }
        index += 3
        let textStart = index
        while index + 1 < bytes.count, !(bytes[index] == question && bytes[index + 1] == UInt8(ascii: "=")) {
            if EncodedWords.isLinearWhiteSpace(bytes[index]) { return nil }
            index += 1
        }
        guard index + 1 < bytes.count else { return nil }
        let text = bytes[textStart..<index]
        let decoded = encoding == UInt8(ascii: "b") ? Base64.decode(text) : QuotedPrintable.decodeWord(text)
        return EncodedWord(charset: charset, decoded: decoded, end: index + 2)
    }
}

enum QuotedPrintable {
    /// The Q encoding of RFC 2047: `_` is a space, `=XX` a byte; a malformed escape is kept as is.
    static func decodeWord(_ text: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(text)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "_") {
                output.append(0x20)
            } else if byte == UInt8(ascii: "="), index + 2 < bytes.count,
                      let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in alphabet.enumerated() { table[Int(symbol)] = UInt8(value) }
        return table
    }()

    /// Tolerant decoding: characters outside the alphabet are skipped, padding is optional,
    /// and a trailing partial group yields the bytes it fully determines.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for symbol in text {
            if symbol == UInt8(ascii: "=") { break }
            let value = values[Int(symbol)]
            if value == 0xFF { continue }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }

    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = UInt32(bytes[index])
            let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let group = b0 << 16 | b1 << 8 | b2
            output.append(alphabet[Int(group >> 18 & 63)])
            output.append(alphabet[Int(group >> 12 & 63)])
            output.append(index + 1 < bytes.count ? alphabet[Int(group >> 6 & 63)] : UInt8(ascii: "="))
            output.append(index + 2 < bytes.count ? alphabet[Int(group & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return output
    }
}
