/// Finds http(s) URLs in a line of mail text. A URL is ASCII: it ends at white space, at any
/// non-ASCII character (Chinese text and full-width punctuation such as 。，）】 right after a
/// link), and loses trailing sentence punctuation.
enum URLScanner {
    static func urls(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var index = 0
        while index < scalars.count {
            guard let schemeLength = schemeLength(in: scalars, at: index),
                  index == 0 || !isASCIIAlphanumeric(scalars[index - 1]) else {
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

    /// Host and path of a scanned URL; nil when the host is not a dotted name.
    static func hostAndPath(of url: String) -> (host: String, path: String)? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex
        var host = rest[..<authorityEnd]
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        if let colon = host.firstIndex(of: ":") { host = host[..<colon] }
        guard host.contains("."), !host.hasPrefix("."), !host.hasSuffix(".") else { return nil }
        return (String(host), String(rest[authorityEnd...]))
    }

    /// `pwd=abcd` (or password=, passcode=) in the URL's query. Not `code=`: QQ Mail's download
    /// links carry a `code` parameter that is part of the link, not an extraction code.
    static func codeInQuery(of url: String) -> String? {
        guard let questionMark = url.firstIndex(of: "?") else { return nil }
        let query = url[url.index(after: questionMark)...].prefix { $0 != "#" }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, ["pwd", "password", "passcode"].contains(parts[0].lowercased()) else { continue }
            let value = String(parts[1])
            if CodeScanner.isPlausibleCode(value) { return value }
        }
        return nil
    }

    private static func schemeLength(in scalars: [Unicode.Scalar], at index: Int) -> Int? {
        for scheme in ["https://", "http://"] {
            let candidate = scheme.unicodeScalars
            guard index + candidate.count <= scalars.count else { continue }
            let matches = zip(candidate, scalars[index..<(index + candidate.count)]).allSatisfy { expected, actual in
                expected == actual || (actual.value < 0x80 && Character(actual).lowercased() == String(expected))
            }
            if matches { return candidate.count }
        }
        return nil
    }

    private static func isURLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.value > 0x20, scalar.value < 0x7F else { return false }
        return !"\"'<>`{}|\\^".unicodeScalars.contains(scalar)
    }

    static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: false
        }
    }

    /// Drops sentence punctuation after a URL, and a closing bracket that opened before it.
    private static func trimmedEnd(_ scalars: [Unicode.Scalar], start: Int, end: Int) -> Int {
        var end = end
        while end > start {
            let last = scalars[end - 1]
            if ".,;:!?*".unicodeScalars.contains(last) {
                end -= 1
            } else if let open = ["(": ")", "[": "]"].first(where: { $0.value.unicodeScalars.first == last })?.key,
                      count(open, in: scalars[start..<end]) < count(String(last), in: scalars[start..<end]) {
                end -= 1
            } else {
                break
            }
        }
        return end
    }

    private static func count(_ character: String, in scalars: ArraySlice<Unicode.Scalar>) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        return scalars.filter { $0 == scalar }.count
    }
}

/// Finds extraction codes in text: 提取码 / 提取密码 / 访问码 / 访问密码 / 分享码 / 密码 / pwd /
/// password / passcode / code, then optional ":", "：", "=", "为" or "是", then 3–16 letters and digits.
enum CodeScanner {
    private static let keywords = ["提取密码", "访问密码", "分享密码", "提取码", "访问码", "分享码", "取件码", "密码",
                                   "passcode", "password", "pwd", "code"]

    static func codes(in scalars: [Unicode.Scalar], outside excluded: [Range<Int>]) -> [(offset: Int, value: String)] {
        var found: [(Int, String)] = []
        var index = 0
        while index < scalars.count {
            if let range = excluded.first(where: { $0.contains(index) }) {
                index = range.upperBound
                continue
            }
            guard let keyword = keyword(in: scalars, at: index) else { index += 1; continue }
            let isLatin = keyword.unicodeScalars.allSatisfy { $0.isASCII }
            if isLatin, index > 0, URLScanner.isASCIIAlphanumeric(scalars[index - 1]) { index += 1; continue }
            var cursor = index + keyword.unicodeScalars.count
            var sawPunctuation = false
            while cursor < scalars.count, " \t\u{3000}:：=为是\u{A0}".unicodeScalars.contains(scalars[cursor]) {
                if ":：=".unicodeScalars.contains(scalars[cursor]) { sawPunctuation = true }
                cursor += 1
            }
            // English words need ":" or "=" ("code: ab12"), so prose like "QR code below" is no code.
            guard sawPunctuation || !isLatin else { index += 1; continue }
            let start = cursor
            while cursor < scalars.count, URLScanner.isASCIIAlphanumeric(scalars[cursor]) { cursor += 1 }
            let value = String(String.UnicodeScalarView(scalars[start..<cursor]))
            if isPlausibleCode(value), !excluded.contains(where: { $0.contains(start) }) {
                found.append((index, value))
            }
            index = max(cursor, index + 1)
        }
        return found
    }

    static func isPlausibleCode(_ value: String) -> Bool {
        (3...16).contains(value.count) && value.unicodeScalars.allSatisfy(URLScanner.isASCIIAlphanumeric)
    }

    private static func keyword(in scalars: [Unicode.Scalar], at index: Int) -> String? {
        keywords.first { keyword in
            let candidate = Array(keyword.unicodeScalars)
            guard index + candidate.count <= scalars.count else { return false }
            return zip(candidate, scalars[index..<(index + candidate.count)]).allSatisfy { expected, actual in
                expected == actual || (actual.isASCII && Character(actual).lowercased() == String(expected))
            }
        }
    }
}
