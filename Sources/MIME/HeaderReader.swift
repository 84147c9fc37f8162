import CGMime
import Foundation

/// Decodes a message's headers into `MessageHeaders`. Unstructured text goes through
/// `EncodedWords`; address lists are repaired first and then parsed by GMime.
struct HeaderReader {
    let limits: ParseLimits
    let options: OpaquePointer?
    var warnings: [ParseWarning] = []

    init(limits: ParseLimits, options: OpaquePointer?) {
        self.limits = limits
        self.options = options
    }

    mutating func read(_ message: UnsafeMutablePointer<GMimeMessage>) -> MessageHeaders {
        var headers = MessageHeaders()
        let list = g_mime_object_get_header_list(cgmime_message_as_object(message))
        let count = min(Int(g_mime_header_list_get_count(list)), limits.maxHeaderCount)
        if Int(g_mime_header_list_get_count(list)) > limits.maxHeaderCount {
            warnings.append(ParseWarning(code: .headerTooLong, detail: "more than \(limits.maxHeaderCount) headers: the rest were not read"))
        }
        for index in 0..<count {
            guard let header = g_mime_header_list_get_header_at(list, Int32(index)),
                  let namePointer = g_mime_header_get_name(header) else { continue }
            let name = String(cString: namePointer)
            let raw = boundedRawValue(header, name: name)
            apply(name: name, raw: raw, to: &headers)
        }
        if headers.date == nil, let date = g_mime_message_get_date(message) {
            headers.date = MailDate(instant: Date(timeIntervalSince1970: TimeInterval(g_date_time_to_unix(date))),
                                    utcOffsetSeconds: Int(g_date_time_get_utc_offset(date) / 1_000_000))
        }
        return headers
    }

    private mutating func boundedRawValue(_ header: UnsafeMutablePointer<GMimeHeader>?, name: String) -> [UInt8] {
        guard let pointer = g_mime_header_get_raw_value(header) else { return [] }
        var raw = Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
        // GMime's raw value ends with the header's line break, which is not part of its length.
        let lineBreak = raw.last == 0x0A ? (raw.dropLast().last == 0x0D ? 2 : 1) : 0
        if raw.count - lineBreak > limits.maxHeaderBytes {
            raw = Array(raw.prefix(limits.maxHeaderBytes))
            // Don't leave half a UTF-8 character behind: it would make the whole value look non-UTF-8.
            if let whole = (0...3).first(where: { String(validating: raw.dropLast($0), as: UTF8.self) != nil }) {
                raw.removeLast(whole)
            }
            warnings.append(ParseWarning(code: .headerTooLong, detail: "\(name) longer than \(limits.maxHeaderBytes) bytes was cut"))
        }
        var lineLength = 0
        for byte in raw {
            lineLength = byte == 0x0A ? 0 : lineLength + 1
            if lineLength > limits.maxLineLength {
                warnings.append(ParseWarning(code: .lineTooLong, detail: "\(name) has a line longer than \(limits.maxLineLength) bytes"))
                break
            }
        }
        return raw
    }

    private func apply(name: String, raw: [UInt8], to headers: inout MessageHeaders) {
        let text = EncodedWords.decodeUnstructured(raw)
        headers.all.append(HeaderField(name: name, value: text))
        switch name.lowercased() {
        case "subject": if headers.subject == nil { headers.subject = text }
        case "from": headers.from += mailboxes(raw)
        case "to": headers.to += mailboxes(raw)
        case "cc": headers.cc += mailboxes(raw)
        case "reply-to": headers.replyTo += mailboxes(raw)
        case "sender": headers.sender = headers.sender ?? mailboxes(raw).first
        case "return-path": headers.returnPath = headers.returnPath ?? Self.returnPath(text)
        case "message-id": headers.messageId = headers.messageId ?? Self.messageIds(raw).first
        case "in-reply-to": headers.inReplyTo = headers.inReplyTo ?? Self.messageIds(raw).first
        case "references": if headers.references.isEmpty { headers.references = Self.messageIds(raw) }
        case "date": headers.date = headers.date ?? Self.date(raw)
        case "auto-submitted": headers.autoSubmitted = headers.autoSubmitted ?? text
        case "precedence": headers.precedence = headers.precedence ?? text
        case "x-loop": headers.xLoop.append(text)
        case let lower where lower.hasPrefix("list-"): headers.listHeaders.append(HeaderField(name: name, value: text))
        default: break
        }
    }

    private func mailboxes(_ raw: [UInt8]) -> [Mailbox] {
        // The pre-pass has bounded the colons already; this keeps GMime's recursion bounded even so.
        let bounded = HeaderRepair.limitingColons(raw, budget: limits.maxAddressColons) ?? raw
        let repaired = EncodedWords.repair(bounded) + [0]
        let list = repaired.withUnsafeBufferPointer { buffer in
            internet_address_list_parse(options, UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self))
        }
        guard let list else { return [] }
        defer { cgmime_unref(list) }
        return Self.mailboxes(in: list)
    }

    /// Every mailbox in the list, group members in place. Iterative, with a stack of lists: groups
    /// nest as deep as a header has colons, and recursion overflowed at 10,781 levels (debug build).
    private static func mailboxes(in list: UnsafeMutablePointer<InternetAddressList>) -> [Mailbox] {
        var result: [Mailbox] = []
        var pending: [(list: UnsafeMutablePointer<InternetAddressList>, index: Int32)] = [(list, 0)]
        while let (current, index) = pending.popLast() {
            guard index < internet_address_list_length(current) else { continue }
            pending.append((current, index + 1))
            guard let address = internet_address_list_get_address(current, index) else { continue }
            if cgmime_address_is_group(address) != 0 {
                if let members = internet_address_group_get_members(cgmime_as_group(address)) {
                    pending.append((members, 0))
                }
                continue
            }
            let addr = internet_address_mailbox_get_addr(cgmime_as_mailbox(address)).map { String(cString: $0) } ?? ""
            var name = internet_address_get_name(address).map { String(cString: $0) }
            // GMime leaves a word it could not decode as is; give it a second, tolerant pass.
            if let undecoded = name, undecoded.contains("=?") { name = EncodedWords.decodeUnstructured(Array(undecoded.utf8)) }
            name = name?.trimmingASCIIWhitespace()
            result.append(Mailbox(name: name?.isEmpty == false ? name : nil, address: addr))
        }
        return result
    }

    /// Message-IDs without angle brackets, in order (Message-ID, In-Reply-To, References).
    static func messageIds(_ raw: [UInt8]) -> [String] {
        let text = String(decoding: EncodedWords.unfold(raw), as: UTF8.self)
        var ids: [String] = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let id = rest[rest.index(after: open)..<close].trimmingASCIIWhitespace()
            if !id.isEmpty { ids.append(id) }
            rest = rest[rest.index(after: close)...]
        }
        if ids.isEmpty {
            // Some clients omit the brackets: take the words that look like ids.
            ids = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
                .map(String.init).filter { $0.contains("@") }
        }
        return ids
    }

    /// `<>` is the null path (a bounce): an empty string.
    static func returnPath(_ text: String) -> String {
        let trimmed = text.trimmingASCIIWhitespace()
        if let open = trimmed.firstIndex(of: "<"), let close = trimmed[open...].firstIndex(of: ">") {
            return trimmed[trimmed.index(after: open)..<close].trimmingASCIIWhitespace()
        }
        return trimmed
    }

    static func date(_ raw: [UInt8]) -> MailDate? {
        let text = String(decoding: EncodedWords.unfold(raw), as: UTF8.self)
        guard let date = g_mime_utils_header_decode_date(text) else { return nil }
        defer { g_date_time_unref(date) }
        return MailDate(instant: Date(timeIntervalSince1970: TimeInterval(g_date_time_to_unix(date))),
                        utcOffsetSeconds: Int(g_date_time_get_utc_offset(date) / 1_000_000))
    }
}
