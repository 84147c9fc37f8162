/// A file announced by link instead of attached: staff fetch it and attach it by hand.
public struct PendingLink: Sendable, Equatable, Hashable, Codable {
    public var url: String
    public var provider: LinkProvider
    /// The extraction code (提取码, 密码, `?pwd=`) that opens the share, if one was given.
    public var code: String?

    public init(url: String, provider: LinkProvider, code: String? = nil) {
        self.url = url
        self.provider = provider
        self.code = code
    }

    /// A known file-sharing service, or any link that came with an extraction code.
    public var isLikelyFileShare: Bool { provider != .other || code != nil }
}

/// Finds http(s) links in mail text and HTML, each with the extraction code written for it.
/// A code belongs to the link it follows on the same line or the next line (the way 百度网盘,
/// 坚果云 and others word their share text); a code in the URL itself (`?pwd=`) wins.
public enum LinkFinder {
    /// Links in plain text, in order of appearance, each URL once.
    public static func links(inText text: String) -> [PendingLink] {
        var links: [FoundLink] = []
        var codes: [FoundCode] = []
        let all = scalars(of: text)
        forEachLine(of: all) { lineNumber, lineRange in
            guard !lineRange.isEmpty else { return }
            let scalars = Array(all[lineRange])
            let urlRanges = URLScanner.urls(in: scalars)
            for range in urlRanges {
                let url = URLScanner.asciiString(scalars[range])
                guard let parts = URLScanner.hostAndPath(of: url) else { continue }
                links.append(FoundLink(line: lineNumber, offset: range.lowerBound, url: url,
                                       provider: LinkProvider.recognise(host: parts.host, path: parts.path),
                                       code: URLScanner.codeInQuery(of: url)))
            }
            // Codes are read with full-width letters and digits folded ("ａｂ１２" is "ab12").
            // Most lines have nothing to fold.
            let folded = scalars.contains { FormLabel.foldedWidth($0) != $0 } ? scalars.map(FormLabel.foldedWidth) : scalars
            for found in CodeScanner.codes(in: folded, outside: urlRanges) {
                codes.append(FoundCode(line: lineNumber, offset: found.offset, value: found.value))
            }
        }
        assign(codes, to: &links)
        return deduplicated(links)
    }

    /// The text's scalars, decoded once into an array of the exact size (`Array(unicodeScalars)`
    /// decodes twice: once to count, once to copy).
    private static func scalars(of text: String) -> [Unicode.Scalar] {
        // Each scalar has exactly one UTF-8 byte that is not a continuation byte (10xxxxxx).
        let count = text.utf8.withContiguousStorageIfAvailable { bytes in
            var count = 0
            for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
            return count
        } ?? text.unicodeScalars.count
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(count)
        for scalar in text.unicodeScalars { scalars.append(scalar) }
        return scalars
    }

    /// Calls `body` with each line's number and range in `scalars`, split where
    /// `Character.isNewline` splits a String (LF, VT, FF, CR, NEL, LS, PS, and CR LF as one; each
    /// always starts a Character of its own), without the cost of grapheme breaking.
    static func forEachLine(of scalars: [Unicode.Scalar], _ body: (Int, Range<Int>) -> Void) {
        var lineNumber = 0, start = 0, index = 0
        while index < scalars.count {
            switch scalars[index].value {
            case 0x0A...0x0D, 0x85, 0x2028, 0x2029:
                body(lineNumber, start..<index)
                let isCRLF = scalars[index] == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n"
                index += isCRLF ? 2 : 1
                start = index
                lineNumber += 1
            default:
                index += 1
            }
        }
        body(lineNumber, start..<scalars.count)
    }

    /// Links in an HTML body: every href, and every URL in the visible text, with codes written
    /// after them. The tolerant scan copes with the HTML mail clients produce.
    public static func links(inHTML html: String) -> [PendingLink] {
        links(inText: HTMLLinkText.text(of: html))
    }

    // MARK: - Tying codes to links

    private struct FoundLink {
        var line: Int
        var offset: Int
        var url: String
        var provider: LinkProvider
        var code: String?
        /// A code already taken from the text (or the URL): later codes do not move it.
        var hasCode: Bool { code != nil }
    }

    private struct FoundCode {
        var line: Int
        var offset: Int
        var value: String
    }

    private static func precedes(_ a: (Int, Int), _ b: (Int, Int)) -> Bool { a < b }

    /// The first of `links` (in text order) for which `isPast` holds; `isPast` must hold for all after it.
    private static func firstIndex(of links: [FoundLink], where isPast: (FoundLink) -> Bool) -> Int {
        var low = 0, high = links.count
        while low < high {
            let middle = (low + high) / 2
            if isPast(links[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Links and codes come in text order, so the link nearest a code is found by bisection.
    private static func assign(_ codes: [FoundCode], to links: inout [FoundLink]) {
        var unclaimed: [FoundCode] = []
        for code in codes {
            // The nearest link before the code, on the same or the previous line.
            let firstNotBefore = firstIndex(of: links) { !precedes(($0.line, $0.offset), (code.line, code.offset)) }
            let before = firstNotBefore > 0 ? firstNotBefore - 1 : nil
            if let before, code.line - links[before].line <= 1 {
                if !links[before].hasCode {
                    links[before].code = code.value
                    continue
                }
                // The same code again (百度网盘 repeats its ?pwd= as 提取码) belongs to that link;
                // a different one may be written before the next link.
                if links[before].code == code.value { continue }
            }
            unclaimed.append(code)
        }
        // A code written just before its link ("提取码：abcd 链接：https://…").
        for code in unclaimed {
            let firstAfter = firstIndex(of: links) { precedes((code.line, code.offset), ($0.line, $0.offset)) }
            let after = firstAfter < links.count ? firstAfter : nil
            if let after, links[after].line - code.line <= 1, !links[after].hasCode {
                links[after].code = code.value
            }
        }
    }

    private static func deduplicated(_ links: [FoundLink]) -> [PendingLink] {
        var result: [PendingLink] = []
        var indexByURL: [String: Int] = [:]
        for link in links {
            if let index = indexByURL[link.url] {
                if result[index].code == nil { result[index].code = link.code }
                continue
            }
            indexByURL[link.url] = result.count
            result.append(PendingLink(url: link.url, provider: link.provider, code: link.code))
        }
        return result
    }
}
