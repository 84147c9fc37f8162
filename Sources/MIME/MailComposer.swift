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
    /// Files sent after the text (a reviewer's scoring sheet): the mail becomes multipart/mixed.
    public var attachments: [OutgoingAttachment] = []

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

/// A file an outgoing mail carries: base64, its name RFC 2231-encoded by GMime when not ASCII.
public struct OutgoingAttachment: Sendable, Hashable {
    public var filename: String
    /// `type/subtype`, e.g. `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`.
    public var mediaType: String
    public var data: Data

    public init(filename: String, mediaType: String, data: Data) {
        self.filename = filename
        self.mediaType = mediaType
        self.data = data
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
        if mail.attachments.isEmpty {
            g_mime_message_set_mime_part(message, cgmime_text_part_as_object(part))
        } else {
            let mixed = g_mime_multipart_new_with_subtype("mixed")!
            defer { cgmime_unref(mixed) }
            g_mime_multipart_add(mixed, cgmime_text_part_as_object(part))
            for attachment in mail.attachments {
                let filePart = attachmentPart(attachment)
                defer { cgmime_unref(filePart) }
                g_mime_multipart_add(mixed, cgmime_part_as_object(filePart))
            }
            g_mime_message_set_mime_part(message, cgmime_multipart_as_object(mixed))
        }

        let options = g_mime_format_options_new()
        defer { g_mime_format_options_free(options) }
        g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS)
        guard let text = g_mime_object_to_string(object, options) else { return Data() }
        defer { g_free(text) }
        return Data(bytes: text, count: strlen(text))
    }

    /// An attachment part: `Content-Disposition: attachment` with the file name, base64 body.
    private static func attachmentPart(_ attachment: OutgoingAttachment) -> UnsafeMutablePointer<GMimePart> {
        let type = attachment.mediaType.split(separator: "/", maxSplits: 1).map { singleLine(String($0)) }
        let part = g_mime_part_new_with_type(type.first ?? "application", type.count == 2 ? type[1] : "octet-stream")!
        let stream = attachment.data.withUnsafeBytes { bytes in
            g_mime_stream_mem_new_with_buffer(bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        defer { cgmime_unref(stream) }
        let wrapper = g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT)
        defer { cgmime_unref(wrapper) }
        g_mime_part_set_content(part, wrapper)
        g_mime_part_set_filename(part, singleLine(attachment.filename.replacingOccurrences(of: "/", with: "_")))
        g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64)
        return part
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
