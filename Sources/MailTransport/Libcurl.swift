import CCurl

/// What the libcurl this process runs with can do. The transports refuse to start without
/// TLS-capable IMAP and SMTP, so `tuibao doctor` and the tests ask here first.
public struct LibcurlInfo: Sendable, Hashable {
    public var version: String
    public var sslVersion: String?
    public var protocols: Set<String>

    public static func current() -> LibcurlInfo {
        guard let info = ccurl_version_info() else { return LibcurlInfo(version: "unknown", sslVersion: nil, protocols: []) }
        var protocols: Set<String> = []
        if var cursor = info.pointee.protocols {
            while let name = cursor.pointee {
                protocols.insert(String(cString: name))
                cursor += 1
            }
        }
        return LibcurlInfo(version: String(cString: info.pointee.version),
                           sslVersion: info.pointee.ssl_version.map { String(cString: $0) },
                           protocols: protocols)
    }

    /// IMAP and SMTP over TLS (implicit, and STARTTLS, which curl offers with the same builds).
    public var supportsSecureMail: Bool {
        ["imap", "imaps", "smtp", "smtps"].allSatisfy(protocols.contains) && sslVersion != nil
    }
}
