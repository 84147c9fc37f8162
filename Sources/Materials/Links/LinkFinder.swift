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
        for (lineNumber, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let scalars = Array(line.unicodeScalars)
            let urlRanges = URLScanner.urls(in: scalars)
            for range in urlRanges {
                let url = String(String.UnicodeScalarView(scalars[range]))
                guard let parts = URLScanner.hostAndPath(of: url) else { continue }
                links.append(FoundLink(line: lineNumber, offset: range.lowerBound, url: url,
                                       provider: LinkProvider.recognise(host: parts.host, path: parts.path),
                                       code: URLScanner.codeInQuery(of: url)))
            }
            // Codes are read with full-width letters and digits folded ("ａｂ１２" is "ab12").
            for found in CodeScanner.codes(in: scalars.map(FormLabel.foldedWidth), outside: urlRanges) {
                codes.append(FoundCode(line: lineNumber, offset: found.offset, value: found.value))
            }
        }
        assign(codes, to: &links)
        return deduplicated(links)
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

    private static func assign(_ codes: [FoundCode], to links: inout [FoundLink]) {
        var unclaimed: [FoundCode] = []
        for code in codes {
            // The nearest link before the code, on the same or the previous line.
            let before = links.lastIndex { precedes(($0.line, $0.offset), (code.line, code.offset)) }
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
            let after = links.firstIndex { precedes((code.line, code.offset), ($0.line, $0.offset)) }
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
