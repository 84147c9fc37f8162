import Foundation

/// Turns an HTML mail body into text for `LinkFinder`: tags dropped, block ends made line breaks,
/// entities decoded, scripts and styles left out, and each http(s) `href` written in place of its
/// anchor's start, so a code after the anchor follows its link.
enum HTMLLinkText {
    private static let lineBreakingTags: Set<String> = [
        "br", "p", "div", "tr", "li", "ul", "ol", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    ]

    static func text(of html: String) -> String {
        let scalars = Array(html.unicodeScalars)
        // A String, not a UnicodeScalarView: appending to the view copied the whole output each time.
        var output = ""
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "<" else {
                let textEnd = scalars[index...].firstIndex(of: "<") ?? scalars.count
                // HTML collapses source line breaks into spaces: only tags break lines.
                let raw = String(String.UnicodeScalarView(scalars[index..<textEnd].map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }))
                output += decodeEntities(raw)
                index = textEnd
                continue
            }
            if hasPrefix("<!--", scalars, at: index) {
                index = find("-->", in: scalars, from: index + 4).map { $0 + 3 } ?? scalars.count
                continue
            }
            let tagEnd = endOfTag(scalars, from: index + 1)
            let tag = String(String.UnicodeScalarView(scalars[(index + 1)..<min(tagEnd, scalars.count)]))
            index = min(tagEnd + 1, scalars.count)
            let name = tagName(tag)
            if (name == "script" || name == "style"), !tag.hasPrefix("/") {
                index = find("</" + name, in: scalars, from: index, caseInsensitive: true)
                    .map { endOfTag(scalars, from: $0 + 1) + 1 } ?? scalars.count
                continue
            }
            if lineBreakingTags.contains(name) {
                // One break per block boundary ("</p><p>"), so a code in the next paragraph is on the next line.
                while output.unicodeScalars.last == " " { output.unicodeScalars.removeLast() }
                if output.unicodeScalars.last != "\n" { output += "\n" }
            } else if name == "td" || name == "th" {
                output += " "
            } else if name == "a", !tag.hasPrefix("/"), let href = attribute("href", in: tag) {
                let target = decodeEntities(href).trimmingCharacters(in: .whitespacesAndNewlines)
                if target.lowercased().hasPrefix("http://") || target.lowercased().hasPrefix("https://") {
                    output += " " + target + " "
                }
            }
        }
        return output
    }

    /// The index of the `>` closing a tag, skipping quoted attribute values.
    private static func endOfTag(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var quote: Unicode.Scalar?
        var index = start
        while index < scalars.count {
            let scalar = scalars[index]
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == ">" {
                return index
            }
            index += 1
        }
        return scalars.count
    }

    private static func tagName(_ tag: String) -> String {
        let body = tag.hasPrefix("/") ? tag.dropFirst() : Substring(tag)
        return String(body.prefix { !$0.isWhitespace && $0 != "/" && $0 != ">" }).lowercased()
    }

    /// An attribute's value, quoted with " or ' or bare.
    static func attribute(_ name: String, in tag: String) -> String? {
        let scalars = Array(tag.unicodeScalars)
        let wanted = Array(name.unicodeScalars)
        var index = 0
        while index + wanted.count < scalars.count {
            let before = index == 0 ? " " : scalars[index - 1]
            let matches = zip(wanted, scalars[index..<(index + wanted.count)]).allSatisfy {
                $0 == $1 || (Character($1).lowercased() == String($0))
            }
            guard matches, before.properties.isWhitespace || before == "\"" || before == "'" else { index += 1; continue }
            var cursor = index + wanted.count
            while cursor < scalars.count, scalars[cursor].properties.isWhitespace { cursor += 1 }
            guard cursor < scalars.count, scalars[cursor] == "=" else { index += 1; continue }
            cursor += 1
            while cursor < scalars.count, scalars[cursor].properties.isWhitespace { cursor += 1 }
            guard cursor < scalars.count else { return nil }
            let quote = scalars[cursor]
            if quote == "\"" || quote == "'" {
                let end = scalars[(cursor + 1)...].firstIndex(of: quote) ?? scalars.count
                return String(String.UnicodeScalarView(scalars[(cursor + 1)..<end]))
            }
            let end = scalars[cursor...].firstIndex { $0.properties.isWhitespace || $0 == ">" } ?? scalars.count
            return String(String.UnicodeScalarView(scalars[cursor..<end]))
        }
        return nil
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named: [String: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
                                       "ensp": " ", "emsp": " "]
        // A String, not a UnicodeScalarView: appending to the view copied the whole output each time.
        var output = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            output += rest[..<ampersand]
            let afterAmpersand = rest.index(after: ampersand)
            let entityEnd = rest[afterAmpersand...].prefix(10).firstIndex(of: ";")
            guard let entityEnd else {
                output += "&"
                rest = rest[afterAmpersand...]
                continue
            }
            let entity = String(rest[afterAmpersand..<entityEnd])
            if let replacement = named[entity.lowercased()] ?? numericEntity(entity) {
                output += replacement
                rest = rest[rest.index(after: entityEnd)...]
            } else {
                output += "&"
                rest = rest[afterAmpersand...]
            }
        }
        return output + rest
    }

    private static func numericEntity(_ entity: String) -> String? {
        guard entity.hasPrefix("#") else { return nil }
        let digits = entity.dropFirst()
        let value = digits.lowercased().hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
        return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
    }

    private static func hasPrefix(_ prefix: String, _ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        let wanted = Array(prefix.unicodeScalars)
        guard index + wanted.count <= scalars.count else { return false }
        return Array(scalars[index..<(index + wanted.count)]) == wanted
    }

    private static func find(_ needle: String, in scalars: [Unicode.Scalar], from start: Int,
                             caseInsensitive: Bool = false) -> Int? {
        let wanted = Array(needle.unicodeScalars)
        guard !wanted.isEmpty, start + wanted.count <= scalars.count else { return nil }
        for index in start...(scalars.count - wanted.count) {
            let matches = zip(wanted, scalars[index..<(index + wanted.count)]).allSatisfy {
                $0 == $1 || (caseInsensitive && $1.isASCII && Character($1).lowercased() == String($0))
            }
            if matches { return index }
        }
        return nil
    }
}
