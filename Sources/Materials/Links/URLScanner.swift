/// Finds http(s) URLs in a line of mail text. A URL is ASCII: it ends at white space, at any
/// non-ASCII character (Chinese text and full-width punctuation such as 。，）】 right after a
/// link), and loses trailing sentence punctuation.
enum URLScanner {
    static func urls(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var index = 0
        while index < scalars.count {
            // Only an "h" can start a URL, so any other position costs one comparison.
            guard scalars[index] == "h" || scalars[index] == "H",
                  index == 0 || !isASCIIAlphanumeric(scalars[index - 1]),
                  let schemeLength = schemeLength(in: scalars, at: index) else {
                index += 1
                continue
            }
            var end = index + schemeLength
            while end < scalars.count, isURLCharacter(scalars[end]) { end += 1 }
            end = trimmedEnd(scalars, start: index, end: end)
            if end > index + schemeLength { ranges.append(index..<end) }
            index = max(end, index + 1)
        }
        return ranges
    }

    /// Host and path of a scanned URL; nil when the host is not a dotted name. Scanned URLs are
    /// ASCII, so bytes stand for characters here.
    static func hostAndPath(of url: String) -> (host: String, path: String)? {
        let bytes = Array(url.utf8)
        guard let schemeEnd = bytes.indices.first(where: { bytes[$0...].starts(with: "://".utf8) }) else { return nil }
        let authorityStart = schemeEnd + 3
        let authorityEnd = bytes[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
            ?? bytes.count
        var host = bytes[authorityStart..<authorityEnd]
        if let at = host.lastIndex(of: UInt8(ascii: "@")) { host = host[(at + 1)...] }
        if let colon = host.firstIndex(of: UInt8(ascii: ":")) { host = host[..<colon] }
        guard host.contains(UInt8(ascii: ".")), host.first != UInt8(ascii: "."), host.last != UInt8(ascii: ".") else { return nil }
        return (String(decoding: host, as: UTF8.self), String(decoding: bytes[authorityEnd...], as: UTF8.self))
    }

    /// `pwd=abcd` (or password=, passcode=) in the URL's query. Not `code=`: QQ Mail's download
    /// links carry a `code` parameter that is part of the link, not an extraction code.
    static func codeInQuery(of url: String) -> String? {
        guard let questionMark = url.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        let query = url[url.index(after: questionMark)...].prefix { $0 != "#" }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, ["pwd", "password", "passcode"].contains(parts[0].lowercased()) else { continue }
            let value = String(parts[1])
            if CodeScanner.isPlausibleCode(value) { return value }
        }
        return nil
    }

    /// "http://" or "https://" at `index`, letters in either case.
    private static func schemeLength(in scalars: [Unicode.Scalar], at index: Int) -> Int? {
        var cursor = index
        func take(_ expected: UInt8) -> Bool {
            guard cursor < scalars.count, asciiLowercased(scalars[cursor]) == UInt32(expected) else { return false }
            cursor += 1
            return true
        }
        guard "http".utf8.allSatisfy(take) else { return nil }
        _ = take(UInt8(ascii: "s"))
        guard "://".utf8.allSatisfy(take) else { return nil }
        return cursor - index
    }

    private static func isURLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "'", "<", ">", "`", "{", "}", "|", "\\", "^": false
        default: scalar.value > 0x20 && scalar.value < 0x7F
        }
    }

    static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: false
        }
    }

    /// A string of ASCII scalars (a scanned URL or code), written byte by byte.
    static func asciiString(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        assert(scalars.allSatisfy(\.isASCII))
        return String(unsafeUninitializedCapacity: scalars.count) { buffer in
            for (offset, scalar) in zip(buffer.indices, scalars) { buffer[offset] = UInt8(truncatingIfNeeded: scalar.value) }
            return scalars.count
        }
    }

    /// The scalar's value with A–Z lowered; every other scalar as it is.
    static func asciiLowercased(_ scalar: Unicode.Scalar) -> UInt32 {
        (0x41...0x5A).contains(scalar.value) ? scalar.value + 0x20 : scalar.value
    }

    /// Drops sentence punctuation after a URL, and a closing bracket that opened before it.
    private static func trimmedEnd(_ scalars: [Unicode.Scalar], start: Int, end: Int) -> Int {
        var end = end
        // Brackets in start..<end, counted once when first needed and kept up as `end` moves back,
        // so a URL ending in many ")" costs no more than its length.
        var counted = false
        var openParens = 0, closeParens = 0, openSquares = 0, closeSquares = 0
        while end > start {
            let last = scalars[end - 1]
            switch last {
            case ".", ",", ";", ":", "!", "?", "*":
                end -= 1
            case ")", "]":
                if !counted {
                    for scalar in scalars[start..<end] {
                        switch scalar {
                        case "(": openParens += 1
                        case ")": closeParens += 1
                        case "[": openSquares += 1
                        case "]": closeSquares += 1
                        default: break
                        }
                    }
                    counted = true
                }
                if last == ")" {
                    guard openParens < closeParens else { return end }
                    closeParens -= 1
                } else {
                    guard openSquares < closeSquares else { return end }
                    closeSquares -= 1
                }
                end -= 1
            default:
                return end
            }
        }
        return end
    }
}

/// Finds extraction codes in text: 提取码 / 提取密码 / 访问码 / 访问密码 / 分享码 / 密码 / pwd /
/// password / passcode / code, then optional ":", "：", "=", "为" or "是", then 3–16 letters and digits.
enum CodeScanner {
    /// As scalars, Latin ones in lower case. No two can match at the same position, and
    /// `keywordLength` lists their first scalars.
    private static let keywords: [[Unicode.Scalar]] = [
        "提取密码", "访问密码", "分享密码", "提取码", "访问码", "分享码", "取件码", "密码", "passcode", "password", "pwd", "code",
    ].map { Array($0.unicodeScalars) }

    /// One pass over `scalars`. `excluded` (the URLs) must be sorted and disjoint, as
    /// `URLScanner.urls` returns them, so one cursor walks it alongside.
    static func codes(in scalars: [Unicode.Scalar], outside excluded: [Range<Int>]) -> [(offset: Int, value: String)] {
        var found: [(offset: Int, value: String)] = []
        var index = 0
        var nextExcluded = 0
        let keywords = Self.keywords  // fetched once per call, not at every candidate position
        while index < scalars.count {
            while nextExcluded < excluded.count, excluded[nextExcluded].upperBound <= index { nextExcluded += 1 }
            if nextExcluded < excluded.count, excluded[nextExcluded].lowerBound <= index {
                index = excluded[nextExcluded].upperBound
                continue
            }
            guard let keywordLength = keywordLength(in: scalars, at: index, among: keywords) else { index += 1; continue }
            let isLatin = scalars[index].isASCII
            var cursor = index + keywordLength
            var sawPunctuation = false
            scanning: while cursor < scalars.count {
                switch scalars[cursor] {
                case ":", "：", "=": sawPunctuation = true
                case " ", "\t", "\u{3000}", "为", "是", "\u{A0}": break
                default: break scanning
                }
                cursor += 1
            }
            // English words need ":" or "=" ("code: ab12"), so prose like "QR code below" is no code.
            guard sawPunctuation || !isLatin else { index += 1; continue }
            let start = cursor
            while cursor < scalars.count, URLScanner.isASCIIAlphanumeric(scalars[cursor]) { cursor += 1 }
            // The value is ASCII letters and digits, so its length in scalars is its length.
            if (3...16).contains(cursor - start), !isExcluded(start, from: nextExcluded, of: excluded) {
                found.append((offset: index, value: URLScanner.asciiString(scalars[start..<cursor])))
            }
            index = max(cursor, index + 1)
        }
        return found
    }

    static func isPlausibleCode(_ value: String) -> Bool {
        (3...16).contains(value.count) && value.unicodeScalars.allSatisfy(URLScanner.isASCIIAlphanumeric)
    }

    /// The length of the keyword at `index`. Most scalars start none, and are turned away by one switch.
    private static func keywordLength(in scalars: [Unicode.Scalar], at index: Int, among keywords: [[Unicode.Scalar]]) -> Int? {
        switch scalars[index] {
        case "p", "P", "c", "C":
            // A Latin keyword right after a letter or digit is inside a word ("xpwd", "barcode"): none.
            if index > 0, URLScanner.isASCIIAlphanumeric(scalars[index - 1]) { return nil }
        case "提", "访", "分", "取", "密":
            break
        default:
            return nil
        }
        let match = keywords.first { keyword in
            guard index + keyword.count <= scalars.count else { return false }
            for offset in keyword.indices where URLScanner.asciiLowercased(scalars[index + offset]) != keyword[offset].value {
                return false
            }
            return true
        }
        return match?.count
    }

    /// Whether a range of `excluded` from `first` on holds `position`; earlier ones end before it.
    private static func isExcluded(_ position: Int, from first: Int, of excluded: [Range<Int>]) -> Bool {
        var candidate = first
        while candidate < excluded.count, excluded[candidate].upperBound <= position { candidate += 1 }
        return candidate < excluded.count && excluded[candidate].lowerBound <= position
    }
}
