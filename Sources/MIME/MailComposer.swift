import CGMime
import Foundation

/// A reply to send: plain UTF-8 text, one recipient, threading headers.
public struct OutgoingMail: Sendable, Hashable {
    public var from: Mailbox
    public var to: Mailbox
    public var subject: String
    public var body: String
    /// Without angle brackets.
    public var messageId: String
    public var inReplyTo: String?
    public var references: [String]
    public var date: Date
    /// Extra headers (`Auto-Submitted: auto-replied` …), ASCII names.
    public var headers: [HeaderField]

    public init(from: Mailbox, to: Mailbox, subject: String, body: String, messageId: String, inReplyTo: String?,
                references: [String], date: Date, headers: [HeaderField] = []) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.messageId = messageId
        self.inReplyTo = inReplyTo
        self.references = references
        self.date = date
        self.headers = headers
    }
}

/// Builds the bytes of an outgoing mail with GMime: CRLF line ends, the UTF-8 body in base64
/// (no reliance on 8BITMIME), subject and display names RFC 2047-encoded and folded by GMime.
/// Every value that reaches a header is first made a single line: a CR or LF that came from
/// an incoming mail can never start a header of ours.
public enum MailComposer {
    public static func compose(_ mail: OutgoingMail) -> Data {
        _ = GMimeRuntime.ready
        let message = g_mime_message_new(1)!
        defer { cgmime_unref(message) }
        let object = cgmime_message_as_object(message)
        g_mime_message_add_mailbox(message, GMIME_ADDRESS_TYPE_FROM, mail.from.name.map(singleLine), singleLine(mail.from.address))
        g_mime_message_add_mailbox(message, GMIME_ADDRESS_TYPE_TO, mail.to.name.map(singleLine), singleLine(mail.to.address))
        g_mime_message_set_subject(message, singleLine(mail.subject), "utf-8")
        g_mime_message_set_message_id(message, messageId(mail.messageId))
        let date = g_date_time_new_from_unix_utc(gint64(mail.date.timeIntervalSince1970))
        let local = g_date_time_to_timezone(date, g_time_zone_new_offset(8 * 3600))
        g_mime_message_set_date(message, local)
        g_date_time_unref(date)
        g_date_time_unref(local)
        if let inReplyTo = mail.inReplyTo {
            g_mime_object_set_header(object, "In-Reply-To", "<\(messageId(inReplyTo))>", nil)
        }
        let references = mail.references.map { "<\(messageId($0))>" }.joined(separator: " ")
        if !references.isEmpty { g_mime_object_set_header(object, "References", references, nil) }
        for header in mail.headers {
            g_mime_object_set_header(object, singleLine(header.name), singleLine(header.value), "utf-8")
        }
        let part = g_mime_text_part_new_with_subtype("plain")!
        defer { cgmime_unref(part) }
        let body = mail.body.replacingOccurrences(of: "\r\n", with: "\n")
        g_mime_text_part_set_charset(part, "utf-8")
        g_mime_text_part_set_text(part, body)
        g_mime_part_set_content_encoding(cgmime_text_part_as_part(part), GMIME_CONTENT_ENCODING_BASE64)
        g_mime_message_set_mime_part(message, cgmime_text_part_as_object(part))

        let options = g_mime_format_options_new()
        defer { g_mime_format_options_free(options) }
        g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS)
        guard let text = g_mime_object_to_string(object, options) else { return Data() }
        defer { g_free(text) }
        return Data(bytes: text, count: strlen(text))
    }

    /// Control characters (CR, LF, NUL …) become spaces; runs of spaces collapse.
    static func singleLine(_ text: String) -> String {
        let scalars = text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) }
        return String(scalars).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// A Message-ID without brackets, white space or anything that could close it early.
    static func messageId(_ id: String) -> String {
        String(singleLine(id).unicodeScalars.filter { $0.value > 0x20 && $0 != "<" && $0 != ">" && $0.isASCII }.map(Character.init))
    }
}
