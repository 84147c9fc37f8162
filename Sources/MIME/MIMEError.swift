/// Why a message could not be read at all. (Trouble inside a readable message is a
/// `ParseWarning` instead: the message is still returned.)
public enum MIMEError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case notAMessage(path: String)
    case readFailed(detail: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open \(path): \(reason)"
        case .notAMessage(let path): "\(path) is not a mail message (no header could be read)"
        case .readFailed(let detail): "read error: \(detail)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}

/// Bounds that keep a hostile message from exhausting the stack, memory or time.
public struct ParseLimits: Sendable, Hashable {
    /// Multipart and forwarded-message nesting below which nothing more is read.
    public var maxDepth = 32
    /// Parts beyond this are not read.
    public var maxParts = 1_000
    /// A header value longer than this is cut before GMime sees it (the raw message keeps it whole).
    public var maxHeaderBytes = 64 * 1024
    /// Colons allowed in one address header before GMime sees it. GMime's address parser may open a
    /// group at any colon and parses groups recursively (40,000 nested groups overflow its stack).
    public var maxAddressColons = 64
    /// Headers beyond this count are not decoded.
    public var maxHeaderCount = 1_000
    /// A physical header line longer than this is reported (RFC 5322 allows 998).
    public var maxLineLength = 998 * 8
    /// Body text kept per message, in bytes of decoded text parts.
    public var maxBodyTextBytes = 4 * 1024 * 1024

    public init() {}
}
