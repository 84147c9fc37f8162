import Foundation

/// A mailbox as written in an address header: the decoded display name and the address.
public struct Mailbox: Sendable, Hashable, Codable {
    public var name: String?
    public var address: String

    public init(name: String?, address: String) {
        self.name = name
        self.address = address
    }
}

/// The headers later steps decide on, decoded to Unicode.
public struct MessageHeaders: Sendable, Hashable, Codable {
    public var messageId: String?
    public var subject: String?
    public var from: [Mailbox] = []
    public var to: [Mailbox] = []
    public var cc: [Mailbox] = []
    public var replyTo: [Mailbox] = []
    public var sender: Mailbox?
    /// The address inside Return-Path; an empty string for the null path `<>`; nil when absent.
    public var returnPath: String?
    public var date: MailDate?
    public var inReplyTo: String?
    public var references: [String] = []
    public var autoSubmitted: String?
    public var precedence: String?
    /// Every `List-*` header (List-Id, List-Unsubscribe …), name as written, value decoded.
    public var listHeaders: [HeaderField] = []
    public var xLoop: [String] = []
    /// Every header of the message in order, names as written, values decoded as unstructured text.
    public var all: [HeaderField] = []

    public init() {}

    /// Values of every header with this name (case-insensitive), in order.
    public func values(named name: String) -> [String] {
        all.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }
}

public struct HeaderField: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A Date header: the instant, and the offset the sender wrote (kept for display and JSON).
public struct MailDate: Sendable, Hashable, Codable {
    public var instant: Date
    public var utcOffsetSeconds: Int

    /// ISO 8601 in the sender's own offset, e.g. `2018-05-14T09:31:02+08:00`.
    public var iso8601: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: utcOffsetSeconds) ?? TimeZone(secondsFromGMT: 0)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        let sign = utcOffsetSeconds < 0 ? "-" : "+"
        let offset = abs(utcOffsetSeconds)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d",
                      c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0,
                      sign, offset / 3600, offset % 3600 / 60)
    }
}

/// One node of the MIME tree, in depth-first order.
public struct PartInfo: Sendable, Hashable, Codable {
    /// Dotted position, IMAP-style: "1", "1.2", "2.1.1" …; "" for a single-part message body.
    public var path: String
    public var depth: Int
    public var contentType: String
    public var disposition: String?
    public var filename: String?
    public var kind: Kind

    public enum Kind: String, Sendable, Codable {
        case multipart, message, body, attachment, report
    }
}

/// A decoded attachment. The original filename is kept only as data; the bytes live in
/// `storedPath` under a generated name (when the caller asked for files).
public struct Attachment: Sendable, Hashable, Codable {
    public var partPath: String
    public var filename: String?
    public var contentType: String
    public var disposition: String?
    public var contentId: String?
    /// The declared charset of a text attachment (a .txt essay), for whoever reads it.
    public var charset: String?
    /// Decoded size in bytes.
    public var size: Int64
    /// Lowercase hex SHA-256 of the decoded bytes.
    public var sha256: String
    public var storedPath: String?
    /// Nesting of forwarded messages this attachment sits in (0: the message itself).
    public var messageDepth: Int
}

/// Something the parser noticed and worked around; the message was still read.
public struct ParseWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        case nestingTooDeep, tooManyParts, headerTooLong, lineTooLong, unknownCharset, emptyMessage
        /// An address header with more colons than `ParseLimits.maxAddressColons`: the rest became spaces.
        case addressGroupsTooDeep
        /// A damaged header block was read as mail clients read it (see `HeaderRepair`).
        case headerRepaired
        /// A multipart ended without its closing boundary: its last part runs to the end of the file.
        case missingBoundary
    }
    public var code: Code
    public var detail: String

    public var description: String { "\(code.rawValue): \(detail)" }
}

public struct ParsedMessage: Sendable, Hashable, Codable {
    public var headers: MessageHeaders
    public var parts: [PartInfo]
    public var attachments: [Attachment]
    public var bodyText: String
    /// Headers of forwarded messages (message/rfc822) found inside, in order.
    public var forwarded: [MessageHeaders]
    /// True when a message/delivery-status (or multipart/report) part was found: a bounce.
    public var hasDeliveryStatus: Bool
    public var warnings: [ParseWarning]
    /// Size of the raw message file in bytes.
    public var rawSize: Int64
}
