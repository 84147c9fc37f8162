/// Turns an HTML mail body into readable text: what a person would see, with links kept.
///
/// Deliberately small: mail HTML is simple, and what matters downstream is the words and the
/// URLs (QQ 超大附件 and cloud-drive links live in HTML bodies). `<a href=URL>TEXT</a>` becomes
/// `TEXT (URL)` unless the text already is the URL. Works on UTF-8 bytes: every byte that
/// matters to HTML syntax is ASCII, and byte scanning keeps large bodies cheap.
public enum HTMLText {
    public static func plainText(fromHTML html: String) -> String {
        let bytes = Array(html.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 2)
        var index = 0
        var skipUntilClosing: [UInt8]?
        var pendingLink: (href: [UInt8], textStart: Int)?

        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "<") {
                if bytes[index...].starts(with: commentOpen) {
                    index = find(commentClose, in: bytes, from: index + 4).map { $0 + 3 } ?? bytes.count
                    continue
                }
                guard let close = bytes[index...].firstIndex(of: UInt8(ascii: ">")) else { break }
                let tag = Tag(bytes[(index + 1)..<close])
                index = close + 1
                if let skipping = skipUntilClosing {
                    if tag.isClosing && tag.name == skipping { skipUntilClosing = nil }
                    continue
                }
                switch String(decoding: tag.name, as: UTF8.self) {
                case "head", "style", "script", "title":
                    if !tag.isClosing && !tag.isSelfClosing { skipUntilClosing = tag.name }
                case "br":
                    output.append(newline)
                case "a":
                    if tag.isClosing, let link = pendingLink {
                        let text = trimmed(output[link.textStart...])
                        if !link.href.isEmpty && !text.elementsEqual(link.href) && !link.href.starts(with: mailto) {
                            output += Array(" (".utf8) + link.href + [UInt8(ascii: ")")]
                        }
                        pendingLink = nil
                    } else if !tag.isClosing {
                        pendingLink = (decodeEntities(tag.attribute("href") ?? []), output.count)
                    }
                case "td", "th":
                    if tag.isClosing { output.append(space) }
                case let name where blockElements.contains(name):
                    // Adjacent block boundaries (</div><p>) make one line break, not a blank line.
                    if output.last != newline { output.append(newline) }
                default:
                    break
                }
                continue
            }
            let next = bytes[index...].firstIndex(of: UInt8(ascii: "<")) ?? bytes.count
            if skipUntilClosing == nil {
                // Source line breaks are only white space in HTML; tags decide the lines.
                let text = bytes[index..<next].map { $0 == newline || $0 == 0x0D || $0 == 0x09 ? space : $0 }
                output += decodeEntities(text)
            }
            index = next
        }
        return tidy(String(decoding: output, as: UTF8.self))
    }

    static let newline = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let commentOpen = Array("<!--".utf8)
    static let commentClose = Array("-->".utf8)
    static let mailto = Array("mailto:".utf8)

    static let blockElements: Set<String> = [
        "p", "div", "li", "tr", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
        "ul", "ol", "pre", "hr", "section", "article", "header", "footer", "center", "dl", "dt", "dd",
    ]

    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0] && bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == space || first == newline { slice.removeFirst() }
        while let last = slice.last, last == space || last == newline { slice.removeLast() }
        return slice
    }

    /// Collapses runs of spaces within lines, trims lines, and keeps at most one blank line.
    static func tidy(_ text: String) -> String {
        var lines: [Substring] = []
        var previousEmpty = true
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let words = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{00A0}" })
            if words.isEmpty {
                if !previousEmpty { lines.append("") }
                previousEmpty = true
                continue
            }
            lines.append(words.count == 1 ? words[0] : Substring(words.joined(separator: " ")))
            previousEmpty = false
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    struct Tag {
        var name: [UInt8]
        var isClosing: Bool
        var isSelfClosing: Bool
        var body: ArraySlice<UInt8>

        init(_ inside: ArraySlice<UInt8>) {
            var text = inside
            isClosing = text.first == UInt8(ascii: "/")
            if isClosing { text = text.dropFirst() }
            isSelfClosing = text.last == UInt8(ascii: "/")
            let nameEnd = text.firstIndex(where: { $0 <= 0x20 || $0 == UInt8(ascii: "/") }) ?? text.endIndex
            name = text[..<nameEnd].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            body = text[nameEnd...]
        }

        func attribute(_ wanted: String) -> [UInt8]? {
            let wantedBytes = Array(wanted.utf8)
            var rest = body
            while let equals = rest.firstIndex(of: UInt8(ascii: "=")) {
                let nameEnd = rest[..<equals].lastIndex(where: { $0 > 0x20 }).map { $0 + 1 } ?? rest.startIndex
                let nameStart = rest[..<nameEnd].lastIndex(where: { $0 <= 0x20 }).map { $0 + 1 } ?? rest.startIndex
                let name = rest[nameStart..<nameEnd].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                var valueStart = equals + 1
                while valueStart < rest.endIndex, rest[valueStart] <= 0x20 { valueStart += 1 }
                guard valueStart < rest.endIndex else { return nil }
                let value: ArraySlice<UInt8>
                let quote = rest[valueStart]
                if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    let contentEnd = rest[(valueStart + 1)...].firstIndex(of: quote) ?? rest.endIndex
                    value = rest[(valueStart + 1)..<contentEnd]
                    rest = contentEnd < rest.endIndex ? rest[(contentEnd + 1)...] : []
                } else {
                    let valueEnd = rest[valueStart...].firstIndex(where: { $0 <= 0x20 }) ?? rest.endIndex
                    value = rest[valueStart..<valueEnd]
                    rest = rest[valueEnd...]
                }
                if name == wantedBytes { return Array(value) }
            }
            return nil
        }
    }

    static let namedEntities: [String: String] = [
        "nbsp": " ", "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "ensp": " ", "emsp": " ",
        "mdash": "—", "ndash": "–", "hellip": "…", "ldquo": "“", "rdquo": "”", "lsquo": "‘", "rsquo": "’",
        "middot": "·", "copy": "©", "reg": "®", "times": "×", "yen": "¥", "laquo": "«", "raquo": "»",
    ]

    static func decodeEntities(_ text: [UInt8]) -> [UInt8] {
        guard text.contains(UInt8(ascii: "&")) else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if text[index] == UInt8(ascii: "&"),
               let semicolon = text[index..<min(text.count, index + 12)].firstIndex(of: UInt8(ascii: ";")),
               let replacement = entity(String(decoding: text[(index + 1)..<semicolon], as: UTF8.self)) {
                output += replacement.utf8
                index = semicolon + 1
                continue
            }
            output.append(text[index])
            index += 1
        }
        return output
    }

    static func entity(_ name: String) -> String? {
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            return UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
        if name.hasPrefix("#") {
            return UInt32(name.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
        return namedEntities[name.lowercased()]
    }
}
