import CGMime
import Foundation

/// Reads a mail message from a file into Swift values. The file is streamed: GMime keeps
/// offsets into it and attachments are decoded chunk by chunk into files, so a 200 MB message
/// costs little memory. GMime never sees the file unbounded: a streaming pre-pass first bounds
/// and repairs its header blocks (`ParseInput`); the file itself is left as it came.
public struct MessageParser: Sendable {
    public var limits: ParseLimits

    public init(limits: ParseLimits = ParseLimits()) {
        self.limits = limits
    }

    /// Parses the message at `path`. With `attachmentDirectory`, each attachment is written
    /// there under a generated name (`attachment-001` …), never a name taken from the mail.
    public func parse(fileAt path: String, attachmentDirectory: String? = nil) throws -> ParsedMessage {
        try withFile(path: path) { file, options in
            let size = fileSize(path)
            var parsed = try parseMessage(in: file, range: 0..<size, wholeFile: true, options: options, name: path,
                                          attachmentDirectory: attachmentDirectory)
            parsed.rawSize = size
            return parsed
        }
    }

    /// Parses every message of an mbox file (attachments hashed, not stored).
    ///
    /// The file is split on `From ` lines by `MailboxSplitter` and each message is parsed on
    /// its own: GMime's mbox mode loses the messages after a very long line (MimeKit issue 1189).
    public func parseMailbox(fileAt path: String) throws -> [ParsedMessage] {
        let ranges = try MailboxSplitter.messageRanges(inFileAt: path)
        return try withFile(path: path) { file, options in
            try ranges.map { range in
                var parsed = try parseMessage(in: file, range: range, wholeFile: false, options: options,
                                              name: "\(path) at byte \(range.lowerBound)", attachmentDirectory: nil)
                parsed.rawSize = range.upperBound - range.lowerBound
                return parsed
            }
        }
    }

    private func withFile<Result>(path: String,
                                  _ body: (UnsafeMutablePointer<GMimeStream>, OpaquePointer?) throws -> Result) throws -> Result {
        let options = GMimeRuntime.makeOptions()
        defer { g_mime_parser_options_free(options) }
        var error: UnsafeMutablePointer<GError>?
        guard let stream = g_mime_stream_fs_open(path, O_RDONLY | O_CLOEXEC, 0, &error) else {
            let reason = error.map { String(cString: $0.pointee.message) } ?? "unknown error"
            if let error { g_error_free(error) }
            throw MIMEError.cannotOpen(path: path, reason: reason)
        }
        defer { cgmime_unref(stream) }
        return try body(stream, options)
    }

    /// Parses the message in `range` of the file, after the header pre-pass (`ParseInput`).
    private func parseMessage(in file: UnsafeMutablePointer<GMimeStream>, range: Range<Int64>, wholeFile: Bool,
                              options: OpaquePointer?, name: String, attachmentDirectory: String?) throws -> ParsedMessage {
        let input = ParseInput.prepare(file, range: range, limits: limits, options: options)
        // Nothing rewritten in a whole file: GMime reads the file stream itself (a substream would
        // add a seek to every read); otherwise the bounded and repaired stream.
        let rewritten: UnsafeMutablePointer<GMimeStream>?
        if wholeFile && input.isUnchanged {
            guard g_mime_stream_reset(file) == 0 else { throw MIMEError.readFailed(detail: "cannot read \(name)") }
            rewritten = nil
        } else {
            guard let stream = input.makeStream(over: file) else { throw MIMEError.readFailed(detail: "cannot read \(name)") }
            rewritten = stream
        }
        defer { cgmime_unref(rewritten) }
        let stream = rewritten ?? file
        guard let parser = g_mime_parser_new_with_stream(stream) else { throw MIMEError.notAMessage(path: name) }
        defer { cgmime_unref(parser) }
        g_mime_parser_set_persist_stream(parser, 1)
        g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE)
        guard let message = g_mime_parser_construct_message(parser, options) else {
            throw MIMEError.notAMessage(path: name)
        }
        defer { cgmime_unref(message) }
        var parsed = try read(message, options: options, attachmentDirectory: attachmentDirectory)
        parsed.warnings = input.warnings + parsed.warnings
        return parsed
    }

    private func read(_ message: UnsafeMutablePointer<GMimeMessage>, options: OpaquePointer?,
                      attachmentDirectory: String?) throws -> ParsedMessage {
        var walker = MessageWalker(limits: limits, options: options, attachmentDirectory: attachmentDirectory)
        let (headers, bodies) = try walker.readMessage(message, path: "", depth: 0, messageDepth: 0)
        let text = (bodies + walker.forwardedBodies).filter { !$0.isEmpty }.joined(separator: "\n\n")
        return ParsedMessage(headers: headers, parts: walker.parts, attachments: walker.attachments,
                             bodyText: text, forwarded: walker.forwarded,
                             hasDeliveryStatus: walker.hasDeliveryStatus, warnings: walker.warnings, rawSize: 0)
    }

    private func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}

/// Walks one message's MIME tree depth-first, collecting parts, attachments and body text.
struct MessageWalker {
    let limits: ParseLimits
    let options: OpaquePointer?
    let attachmentDirectory: String?

    var parts: [PartInfo] = []
    var attachments: [Attachment] = []
    var forwarded: [MessageHeaders] = []
    var forwardedBodies: [String] = []
    var warnings: [ParseWarning] = []
    var hasDeliveryStatus = false
    private var bodyTextBytes = 0
    private var reportedDepth = false
    private var reportedPartCount = false

    init(limits: ParseLimits, options: OpaquePointer?, attachmentDirectory: String?) {
        self.limits = limits
        self.options = options
        self.attachmentDirectory = attachmentDirectory
    }

    /// Headers and body texts of one message (the top one, or a forwarded one).
    mutating func readMessage(_ message: UnsafeMutablePointer<GMimeMessage>, path: String,
                              depth: Int, messageDepth: Int) throws -> (MessageHeaders, [String]) {
        var reader = HeaderReader(limits: limits, options: options)
        let headers = reader.read(message)
        warnings += reader.warnings
        var bodies: [String] = []
        if let root = g_mime_message_get_mime_part(message) {
            let rootPath = cgmime_is_multipart(root) != 0 ? path : join(path, 1)
            try walk(root, path: rootPath, depth: depth, messageDepth: messageDepth, suppressText: false, bodies: &bodies)
        }
        return (headers, bodies)
    }

    private mutating func walk(_ object: UnsafeMutablePointer<GMimeObject>, path: String, depth: Int,
                               messageDepth: Int, suppressText: Bool, bodies: inout [String]) throws {
        guard depth <= limits.maxDepth else {
            if !reportedDepth {
                warnings.append(ParseWarning(code: .nestingTooDeep, detail: "parts nested deeper than \(limits.maxDepth) levels at \(path) were not read"))
                reportedDepth = true
            }
            return
        }
        guard parts.count < limits.maxParts else {
            if !reportedPartCount {
                warnings.append(ParseWarning(code: .tooManyParts, detail: "more than \(limits.maxParts) parts: the rest were not read"))
                reportedPartCount = true
            }
            return
        }
        let description = PartDescription(object)

        if cgmime_is_multipart(object) != 0 {
            parts.append(description.info(path: path, depth: depth, kind: .multipart))
            if description.contentType == "multipart/report",
               description.typeParameters["report-type"]?.lowercased() == "delivery-status" {
                hasDeliveryStatus = true
            }
            let multipart = cgmime_as_multipart(object)
            let count = Int(g_mime_multipart_get_count(multipart))
            let children = (0..<count).compactMap { g_mime_multipart_get_part(multipart, Int32($0)) }
            let preferred = description.contentType == "multipart/alternative" ? Self.preferredAlternative(children) : nil
            for (index, child) in children.enumerated() {
                let suppress = suppressText || (preferred != nil && index != preferred)
                try walk(child, path: join(path, index + 1), depth: depth + 1, messageDepth: messageDepth,
                         suppressText: suppress, bodies: &bodies)
            }
            return
        }

        if cgmime_is_message_part(object) != 0 {
            parts.append(description.info(path: path, depth: depth, kind: .message))
            guard let inner = g_mime_message_part_get_message(cgmime_as_message_part(object)) else { return }
            let (headers, innerBodies) = try readMessage(inner, path: path, depth: depth + 1, messageDepth: messageDepth + 1)
            forwarded.append(headers)
            if !suppressText { forwardedBodies += innerBodies }
            return
        }

        guard cgmime_is_part(object) != 0 else { return }
        let part = cgmime_as_part(object)!
        let kind = AttachmentPolicy.kind(contentType: description.contentType,
                                         disposition: description.disposition, filename: description.filename)
        parts.append(description.info(path: path, depth: depth, kind: kind))
        switch kind {
        case .attachment:
            let storedPath = attachmentDirectory.map { "\($0)/" + Self.storedName(attachments.count + 1) }
            let (size, digest) = try PartContent.store(part, to: storedPath)
            attachments.append(Attachment(partPath: path, filename: description.filename,
                                          contentType: description.contentType, disposition: description.disposition,
                                          contentId: description.contentId, charset: description.typeParameters["charset"],
                                          size: size, sha256: digest,
                                          storedPath: storedPath, messageDepth: messageDepth))
        case .body where !suppressText:
            let room = limits.maxBodyTextBytes - bodyTextBytes
            guard room > 0 else { return }
            let (bytes, truncated) = try PartContent.bytes(of: part, limit: room)
            bodyTextBytes += bytes.count
            if truncated {
                warnings.append(ParseWarning(code: .lineTooLong, detail: "body text at \(path) cut at \(limits.maxBodyTextBytes) bytes"))
            }
            let charset = description.typeParameters["charset"]
            if let charset, Charset.canonicalName(forLabel: charset) == nil, bytes.contains(where: { $0 >= 0x80 }) {
                warnings.append(ParseWarning(code: .unknownCharset, detail: "charset \"\(charset)\" at \(path) is unknown; read as UTF-8 or GB18030"))
            }
            let text = Charset.decode(Self.withoutCarriageReturns(bytes), label: charset)
            bodies.append(description.contentType == "text/html" ? HTMLText.plainText(fromHTML: text) : text)
        case .report:
            if description.contentType == "message/delivery-status" { hasDeliveryStatus = true }
        case .body, .multipart, .message:
            break
        }
    }

    /// `attachment-001` …: generated, never derived from the mail.
    static func storedName(_ number: Int) -> String {
        let digits = String(number)
        return "attachment-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// CRLF → LF before decoding (safe: no charset used in mail has 0x0D as a trail byte).
    static func withoutCarriageReturns(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0x0D) else { return bytes }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        for (index, byte) in bytes.enumerated() where !(byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) {
            output.append(byte)
        }
        return output
    }

    /// In multipart/alternative, the text/plain child is the body; without one, the last
    /// (richest) child is.
    static func preferredAlternative(_ children: [UnsafeMutablePointer<GMimeObject>]) -> Int? {
        guard !children.isEmpty else { return nil }
        for (index, child) in children.enumerated() {
            let description = PartDescription(child)
            if description.contentType == "text/plain",
               AttachmentPolicy.kind(contentType: "text/plain", disposition: description.disposition,
                                     filename: description.filename) == .body {
                return index
            }
        }
        return children.count - 1
    }

    private func join(_ path: String, _ index: Int) -> String {
        path.isEmpty ? String(index) : "\(path).\(index)"
    }
}

/// The attachment/inline decision, made as mail clients make it.
public enum AttachmentPolicy {
    static let reportTypes: Set<String> = [
        "message/delivery-status", "message/global-delivery-status", "text/rfc822-headers",
        "message/disposition-notification", "message/feedback-report",
    ]

    public static func kind(contentType: String, disposition: String?, filename: String?) -> PartInfo.Kind {
        if disposition == "attachment" { return .attachment }
        if let filename, !filename.isEmpty { return .attachment }
        if reportTypes.contains(contentType) { return .report }
        if contentType.hasPrefix("text/") { return .body }
        return .attachment
    }
}

/// What a part says about itself: type, disposition and decoded parameters.
struct PartDescription {
    var contentType: String
    var typeParameters: ContentParameters
    var disposition: String?
    var filename: String?
    var contentId: String?

    init(_ object: UnsafeMutablePointer<GMimeObject>) {
        let contentTypeObject = g_mime_object_get_content_type(object)
        contentType = (takeGString(g_mime_content_type_get_mime_type(contentTypeObject)) ?? "application/octet-stream").lowercased()
        let headers = g_mime_object_get_header_list(object)
        let rawType = rawHeader(headers, "Content-Type")
        typeParameters = ContentParameters(raw: rawType ?? [])
        if let rawDisposition = rawHeader(headers, "Content-Disposition") {
            let parsed = ContentParameters(raw: rawDisposition)
            disposition = parsed.value.isEmpty ? nil : parsed.value
            filename = parsed["filename"]
        }
        if filename?.isEmpty ?? true { filename = typeParameters["name"] }
        if filename?.isEmpty ?? false { filename = nil }
        contentId = g_mime_object_get_content_id(object).map { String(cString: $0) }
    }

    func info(path: String, depth: Int, kind: PartInfo.Kind) -> PartInfo {
        PartInfo(path: path, depth: depth, contentType: contentType, disposition: disposition, filename: filename, kind: kind)
    }
}

/// The raw bytes of the first header with this name, or nil.
func rawHeader(_ headers: UnsafeMutablePointer<GMimeHeaderList>?, _ name: String) -> [UInt8]? {
    guard let headers, let header = g_mime_header_list_get_header(headers, name),
          let raw = g_mime_header_get_raw_value(header) else { return nil }
    return Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw)))
}
