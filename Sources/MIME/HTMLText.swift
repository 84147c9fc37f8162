import Foundation

/// Turns an HTML mail body into readable text: what a person would see, with links kept.
///
/// Deliberately small: mail HTML is simple, and what matters downstream is the words and the
/// URLs (QQ 超大附件 and cloud-drive links live in HTML bodies). `<a href=URL>TEXT</a>` becomes
/// `TEXT (URL)` unless the text already is the URL.
public enum HTMLText {
    public static func plainText(fromHTML html: String) -> String {
        var output = ""
        var index = html.startIndex
        var skipUntilClosing: String?
        var pendingLink: (href: String, textStart: String.Index)?

        while index < html.endIndex {
            let character = html[index]
            if character == "<" {
                if html[index...].hasPrefix("<!--") {
                    index = html.range(of: "-->", range: index..<html.endIndex)?.upperBound ?? html.endIndex
                    continue
                }
                guard let close = html[index...].firstIndex(of: ">") else { break }
                let inside = html[html.index(after: index)..<close]
                index = html.index(after: close)
                let tag = Tag(inside)
                if let skipping = skipUntilClosing {
                    if tag.isClosing && tag.name == skipping { skipUntilClosing = nil }
                    continue
                }
                switch tag.name {
                case "head", "style", "script", "title":
                    if !tag.isClosing && !tag.isSelfClosing { skipUntilClosing = tag.name }
                case "br":
                    output += "\n"
                case "a":
                    if tag.isClosing, let link = pendingLink {
                        let text = output[link.textStart...].trimmingCharacters(in: .whitespacesAndNewlines)
                        if !link.href.isEmpty && text != link.href && !link.href.hasPrefix("mailto:") {
                            output += " (\(link.href))"
                        }
                        pendingLink = nil
                    } else if !tag.isClosing {
                        pendingLink = (decodeEntities(tag.attribute("href") ?? ""), output.endIndex)
                    }
                case "td", "th":
                    if tag.isClosing { output += " " }
                default:
                    // Adjacent block boundaries (</div><p>) make one line break, not a blank line.
                    if blockElements.contains(tag.name) && !output.hasSuffix("\n") { output += "\n" }
                }
                continue
            }
            let next = html[index...].firstIndex(of: "<") ?? html.endIndex
            if skipUntilClosing == nil {
                // Source line breaks are only white space in HTML; tags decide the lines.
                let text = html[index..<next].map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }
                output += decodeEntities(String(text))
            }
            index = next
        }
        return tidy(output)
    }

    static let blockElements: Set<String> = [
        "p", "div", "li", "tr", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
        "ul", "ol", "pre", "hr", "section", "article", "header", "footer", "center", "dl", "dt", "dd",
    ]

    /// Collapses runs of spaces within lines, trims lines, and keeps at most one blank line.
    static func tidy(_ text: String) -> String {
        var lines: [String] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let words = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{00A0}" })
            let line = words.joined(separator: " ")
            if line.isEmpty && (lines.last?.isEmpty ?? true) { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    struct Tag {
        var name: String
        var isClosing: Bool
        var isSelfClosing: Bool
        var body: Substring

        init(_ inside: Substring) {
            var text = inside
            isClosing = text.hasPrefix("/")
            if isClosing { text = text.dropFirst() }
            isSelfClosing = text.hasSuffix("/")
            let nameEnd = text.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "/" }) ?? text.endIndex
            name = text[..<nameEnd].lowercased()
            body = text[nameEnd...]
        }

        func attribute(_ wanted: String) -> String? {
            var rest = body[...]
            while let equals = rest.firstIndex(of: "=") {
                let name = rest[..<equals].split(whereSeparator: { $0.isWhitespace }).last.map { $0.lowercased() }
                var valueStart = rest.index(after: equals)
                while valueStart < rest.endIndex, rest[valueStart].isWhitespace { valueStart = rest.index(after: valueStart) }
                guard valueStart < rest.endIndex else { return nil }
                let value: Substring
                if rest[valueStart] == "\"" || rest[valueStart] == "'" {
                    let quote = rest[valueStart]
                    let contentStart = rest.index(after: valueStart)
                    let contentEnd = rest[contentStart...].firstIndex(of: quote) ?? rest.endIndex
                    value = rest[contentStart..<contentEnd]
                    rest = contentEnd < rest.endIndex ? rest[rest.index(after: contentEnd)...] : ""
                } else {
                    let valueEnd = rest[valueStart...].firstIndex(where: { $0.isWhitespace }) ?? rest.endIndex
                    value = rest[valueStart..<valueEnd]
                    rest = rest[valueEnd...]
                }
                if name == wanted { return String(value) }
            }
            return nil
        }
    }

    static let namedEntities: [String: String] = [
        "nbsp": " ", "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "ensp": " ", "emsp": " ",
        "mdash": "—", "ndash": "–", "hellip": "…", "ldquo": "“", "rdquo": "”", "lsquo": "‘", "rsquo": "’",
        "middot": "·", "copy": "©", "reg": "®", "times": "×", "yen": "¥", "laquo": "«", "raquo": "»",
    ]

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "&", let semicolon = text[index...].prefix(12).firstIndex(of: ";") {
                let name = text[text.index(after: index)..<semicolon]
                if let replacement = entity(name) {
                    output += replacement
                    index = text.index(after: semicolon)
                    continue
                }
            }
            output.append(text[index])
            index = text.index(after: index)
        }
        return output
    }

    static func entity(_ name: Substring) -> String? {
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            return UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
        if name.hasPrefix("#") {
            return UInt32(name.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
        return namedEntities[name.lowercased()]
    }
}
