import Foundation

/// A Content-Type or Content-Disposition value: the leading token and its parameters, decoded.
///
/// Parsed here rather than by GMime so that every path for a Chinese filename goes through
/// one decoder: RFC 2231 (`filename*=GBK''%D5…`, continuations `filename*0*=…; filename*1*=…`)
/// with gbk/gb2312 widened to GB18030, RFC 2047 words inside quotes (Foxmail), and raw 8-bit
/// UTF-8 or GB18030 bytes.
public struct ContentParameters: Sendable, Hashable {
    /// The value before the first `;`, lower-cased (`attachment`, `image/jpeg`).
    public var value: String
    /// Parameter names lower-cased, continuations joined, values decoded.
    public var parameters: [String: String]

    public subscript(name: String) -> String? { parameters[name.lowercased()] }

    public init(raw: some Collection<UInt8>) {
        let bytes = EncodedWords.unfold(Array(raw))
        var scanner = ParameterScanner(bytes: bytes)
        value = String(decoding: scanner.takeLeadingValue(), as: UTF8.self).lowercased()
            .trimmingQuotesAndSpaces()
        var sections: [String: [Section]] = [:]
        while let (rawName, rawValue) = scanner.nextParameter() {
            let section = Section(rawName: rawName, value: rawValue)
            sections[section.baseName, default: []].append(section)
        }
        parameters = sections.mapValues(Self.join)
    }

    struct Section {
        var baseName: String
        var number: Int
        var extended: Bool
        var value: [UInt8]

        init(rawName: String, value: [UInt8]) {
            var name = rawName.lowercased()
            extended = name.hasSuffix("*")
            if extended { name.removeLast() }
            if let star = name.lastIndex(of: "*"), let number = Int(name[name.index(after: star)...]) {
                self.number = number
                name = String(name[..<star])
            } else {
                number = 0
            }
            baseName = name
            self.value = value
        }
    }

    /// Joins RFC 2231 sections in order and decodes them with the charset of section 0;
    /// a plain parameter is decoded as header text (encoded words, raw 8-bit).
    static func join(_ sections: [Section]) -> String {
        let ordered = sections.sorted { $0.number < $1.number }
        guard ordered.contains(where: \.extended) || ordered.count > 1 else {
            return EncodedWords.decodeUnstructured(ordered[0].value)
        }
        var charset: String?
        var bytes: [UInt8] = []
        for (index, section) in ordered.enumerated() {
            var value = section.value[...]
            if section.extended && index == 0 {
                // charset'language'text
                let parts = value.split(separator: UInt8(ascii: "'"), maxSplits: 2, omittingEmptySubsequences: false)
                if parts.count == 3 {
                    charset = String(decoding: parts[0], as: UTF8.self)
                    value = parts[2]
                }
            }
            bytes += section.extended ? percentDecode(value) : Array(value)
        }
        if charset == nil || charset?.isEmpty == true {
            return EncodedWords.decodeUnstructured(bytes)
        }
        return Charset.decode(bytes, label: charset)
    }

    static func percentDecode(_ value: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(value)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = QuotedPrintable.hexValue(bytes[index + 1]), let low = QuotedPrintable.hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }
}

/// Splits `value; name=token; name="quoted \" string"` loosely: a missing `;` or stray
/// white space does not lose the parameters that follow.
struct ParameterScanner {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func takeLeadingValue() -> [UInt8] {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
        return Array(bytes[start..<index])
    }

    mutating func nextParameter() -> (String, [UInt8])? {
        while index < bytes.count {
            skip { $0 == UInt8(ascii: ";") || EncodedWords.isLinearWhiteSpace($0) }
            let nameStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: ";") { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { continue }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).trimmingSpacesAndTabs()
            index += 1
            skip(EncodedWords.isLinearWhiteSpace)
            let value = index < bytes.count && bytes[index] == UInt8(ascii: "\"") ? quoted() : token()
            if !name.isEmpty { return (name, value) }
        }
        return nil
    }

    private mutating func skip(_ predicate: (UInt8) -> Bool) {
        while index < bytes.count, predicate(bytes[index]) { index += 1 }
    }

    private mutating func quoted() -> [UInt8] {
        index += 1
        var value: [UInt8] = []
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            // Only `\"` and `\\` are taken as escapes: a GBK character's second byte may be 0x5C.
            if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count,
               bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "\\") { index += 1 }
            value.append(bytes[index])
            index += 1
        }
        index += 1
        return value
    }

    private mutating func token() -> [UInt8] {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
        var end = index
        while end > start, EncodedWords.isLinearWhiteSpace(bytes[end - 1]) { end -= 1 }
        return Array(bytes[start..<end])
    }
}
