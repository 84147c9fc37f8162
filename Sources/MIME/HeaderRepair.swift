/// The rules applied to one header block before GMime reads it: bounds that keep GMime's stack
/// and memory safe, and the repairs of damaged mail that mail clients make. The raw message on
/// disk is never changed; only what GMime is given (see `ParseInput`).
enum HeaderRepair {
    /// The headers whose values the pre-pass looks at.
    enum Field {
        /// Parsed by GMime (or `HeaderReader`) as an address list.
        case address
        /// Parameter lists, which a wrapped line may continue; Content-Type also shapes the message.
        case contentType, contentDisposition
        case contentTransferEncoding
        case other
    }

    static let fields: [[UInt8]: Field] = {
        var fields: [[UInt8]: Field] = [:]
        for name in ["from", "to", "cc", "bcc", "reply-to", "sender", "return-path", "resent-from", "resent-to",
                     "resent-cc", "resent-bcc", "resent-sender", "resent-reply-to"] {
            fields[Array(name.utf8)] = .address
        }
        fields[Array("content-type".utf8)] = .contentType
        fields[Array("content-disposition".utf8)] = .contentDisposition
        fields[Array("content-transfer-encoding".utf8)] = .contentTransferEncoding
        return fields
    }()

    /// The field a header name (as written, before its colon) stands for. Bytes, not strings:
    /// this runs for every header line of every message.
    static func field(named name: ArraySlice<UInt8>) -> Field {
        var end = name.endIndex
        while end > name.startIndex, name[end - 1] == 0x20 || name[end - 1] == 0x09 { end -= 1 }
        guard end - name.startIndex <= 25 else { return .other }  // content-transfer-encoding
        let lowercased = name[..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return fields[lowercased] ?? .other
    }

    /// Spaces, tabs and blank lines before the first header are skipped when a header follows them
    /// (GMime reads no mail at all then; Python's `email` and Thunderbird skip a space-only first
    /// line but lose the headers after a blank one). Returns how many bytes to skip; 0 when no
    /// header follows, so headerless text stays "not a mail message".
    static func leadingWhiteSpace(_ bytes: some Collection<UInt8>) -> Int {
        let skipped = bytes.prefix { isWhiteSpace($0) }.count
        guard skipped > 0 else { return 0 }
        return fieldNameEnd(Array(bytes.dropFirst(skipped).prefix(1000))) != nil ? skipped : 0
    }

    /// Where the field name of a header line ends (the index of its colon), by GMime's rule:
    /// no control character, and white space only between the name and the colon.
    static func fieldNameEnd(_ line: [UInt8]) -> Int? {
        var sawBlank = false
        for (index, byte) in line.enumerated() {
            if byte == UInt8(ascii: ":") { return index }
            if byte == 0x20 || byte == 0x09 {
                sawBlank = true
            } else if sawBlank || byte < 0x20 || byte == 0x7F {
                return nil
            }
        }
        return nil
    }

    /// A line without leading white space that is a parameter (`filename="x.docx"`, `; name=x`,
    /// `filename*0*=utf-8''…`): the rest of a parameter list a mailer wrapped without indenting.
    /// No field name has `=` in it, so the line cannot be a header of its own. GMime drops it
    /// (and with it the file name); Python's `email` ends the header block there and Thunderbird
    /// skips it as a header without a name, so both lose the file name too.
    static func continuesParameters(_ line: some Collection<UInt8>) -> Bool {
        var bytes = line[...]
        if bytes.first == UInt8(ascii: ";") { bytes = bytes.dropFirst() }
        bytes = bytes.drop { $0 == 0x20 || $0 == 0x09 }
        let name = bytes.prefix { MediaType.isTokenByte($0) }
        guard !name.isEmpty else { return false }
        return bytes.dropFirst(name.count).drop { $0 == 0x20 || $0 == 0x09 }.first == UInt8(ascii: "=")
    }

    /// The value with every colon past the first `budget` turned into a space, or nil when it has
    /// no more than `budget`. Every colon counts, quoted or not: after an error GMime resumes
    /// scanning mid-quote, so only the total bounds how deep its recursive group parser can go.
    static func limitingColons(_ value: some Collection<UInt8>, budget: Int) -> [UInt8]? {
        var seen = 0
        var output: [UInt8] = []
        for byte in value {
            if byte == UInt8(ascii: ":") {
                seen += 1
                if seen > budget {
                    if output.isEmpty { output.reserveCapacity(value.count) }
                    output.append(0x20)
                    continue
                }
            }
            output.append(byte)
        }
        return seen > budget ? output : nil
    }

    /// How many bytes of `bytes` to keep so that at most `limit` remain without splitting a UTF-8
    /// character (a half character would make the whole value look like GB18030).
    static func cutLength(_ bytes: [UInt8], limit: Int) -> Int {
        guard bytes.count > limit else { return bytes.count }
        var cut = limit
        // Back up over continuation bytes to the start of the character the limit falls in.
        var back = 0
        while back < 3, cut - back > 0, bytes[cut - back] & 0xC0 == 0x80 { back += 1 }
        if bytes[cut - back] >= 0xC0 { cut -= back }
        return cut
    }

    static func isWhiteSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}

/// `type/subtype` as GMime's parser reads a Content-Type value (`g_mime_parse_content_type`):
/// the structure of a message follows from it, so the header pre-pass must read it the same way.
struct MediaType: Equatable {
    var type: String
    var subtype: String

    /// nil where GMime falls back to its default (text/plain, or message/rfc822 in a digest).
    init?(value raw: some Collection<UInt8>) {
        let bytes = Array(raw.prefix { $0 != 0 })  // GMime reads a C string
        var index = Self.skipCommentsAndSpace(bytes, from: 0)
        let typeStart = index
        while index < bytes.count, Self.isTokenByte(bytes[index]) { index += 1 }
        let type = bytes[typeStart..<index]
        index = Self.skipCommentsAndSpace(bytes, from: index)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "/") else { return nil }
        index = Self.skipCommentsAndSpace(bytes, from: index + 1)
        let subtypeStart = index
        while index < bytes.count, Self.isTokenByte(bytes[index]) { index += 1 }
        guard index > subtypeStart else { return nil }
        self.type = String(decoding: type, as: UTF8.self).lowercased()
        self.subtype = String(decoding: bytes[subtypeStart..<index], as: UTF8.self).lowercased()
    }

    init(type: String, subtype: String) {
        self.type = type
        self.subtype = subtype
    }

    var isMultipart: Bool { type == "multipart" }

    /// The subtypes GMime parses as a forwarded message.
    var isMessage: Bool { type == "message" && ["rfc822", "rfc2822", "global", "news"].contains(subtype) }

    /// GMime's `skip_cfws`: white space and (nested) comments; an unclosed comment skips nothing.
    static func skipCommentsAndSpace(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, HeaderRepair.isWhiteSpace(bytes[index]) { index += 1 }
        while index < bytes.count, bytes[index] == UInt8(ascii: "(") {
            var depth = 1
            index += 1
            while index < bytes.count, depth > 0 {
                if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "(") {
                    depth += 1
                } else if bytes[index] == UInt8(ascii: ")") {
                    depth -= 1
                }
                index += 1
            }
            guard depth == 0 else { return start }
            while index < bytes.count, HeaderRepair.isWhiteSpace(bytes[index]) { index += 1 }
        }
        return index
    }

    /// GMime's `is_ttoken`: not a tspecial, white space or control character (8-bit bytes are).
    static func isTokenByte(_ byte: UInt8) -> Bool {
        if byte < 0x20 || byte == 0x7F || byte == 0x20 { return false }
        return !Array(#"()<>@,;:\"/[]?="#.utf8).contains(byte)
    }
}
