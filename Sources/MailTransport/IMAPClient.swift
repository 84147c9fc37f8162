import CCurl
import Foundation

/// How to reach a mail server. TLS is required unless `insecure` is set (loopback tests only).
public struct ServerSettings: Sendable, Hashable {
    public enum Security: String, Sendable, Hashable {
        /// TLS from the first byte (imaps://, smtps://).
        case tls
        /// Plain connection upgraded with STARTTLS, which must succeed.
        case starttls
        /// No TLS at all: only with `insecure`, meant for servers on loopback.
        case none
    }

    public var host: String
    public var port: Int?
    public var security: Security
    public var username: String
    public var password: String
    /// A CA bundle to verify the server with (else the system's).
    public var caFile: String?
    public var connectTimeout: Int
    public var timeout: Int

    public init(host: String, port: Int? = nil, security: Security = .tls, username: String, password: String,
                caFile: String? = nil, connectTimeout: Int = 20, timeout: Int = 300) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    /// Server and account, for messages: never the password.
    public var accountDescription: String { "\(username)@\(host)\(port.map { ":\($0)" } ?? "")" }
}

/// What STATUS says about a mailbox. Some servers send no UIDVALIDITY (or 0): nil then.
public struct MailboxStatus: Sendable, Hashable {
    public var uidValidity: UInt64?
    public var uidNext: UInt64?
    public var messages: Int?
}

/// IMAP over libcurl: identify (RFC 2971), status, UID search, fetch a whole message into a
/// file, move. One connection, reused; when libcurl had to reconnect (after an error, or the
/// server dropped us), ID is sent again first, because Coremail/NetEase refuse SELECT without it.
public final class IMAPClient: @unchecked Sendable {
    // @unchecked Sendable: owned by one task at a time (the poller); see CurlHandle.
    public let settings: ServerSettings
    public var clientName = "tuibao"
    public var clientVersion = "1.0"
    private let curl: CurlHandle
    private var capabilities: Set<String>?
    /// How many times ID was sent (one per connection): tests and `tuibao doctor` read it.
    public private(set) var identifications = 0

    public init(settings: ServerSettings) throws {
        self.settings = settings
        curl = try CurlHandle()
    }

    private var baseURL: String {
        let scheme = settings.security == .tls ? "imaps" : "imap"
        return "\(scheme)://\(settings.host)\(settings.port.map { ":\($0)" } ?? "")/"
    }

    private func mailboxURL(_ mailbox: String) -> String {
        baseURL + (mailbox.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? mailbox)
    }

    private func prepare(url: String, command: String?, timeout: Int? = nil) {
        curl.set(CURLOPT_URL, url)
        curl.set(CURLOPT_USERNAME, settings.username)
        curl.set(CURLOPT_PASSWORD, settings.password)
        curl.set(CURLOPT_CUSTOMREQUEST, command)  // sticky in libcurl: set (or clear) every time
        curl.set(CURLOPT_USE_SSL, settings.security == .none ? Int(CURLUSESSL_NONE.rawValue) : Int(CURLUSESSL_ALL.rawValue))
        curl.set(CURLOPT_SSL_VERIFYPEER, 1)
        curl.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = settings.caFile { curl.set(CURLOPT_CAINFO, caFile) }
        curl.set(CURLOPT_CONNECTTIMEOUT, settings.connectTimeout)
        curl.set(CURLOPT_TIMEOUT, timeout ?? 120)
        curl.set(CURLOPT_NOSIGNAL, 1)
    }

    private func run(url: String, command: String?, timeout: Int? = nil,
                     sink: ((UnsafeRawBufferPointer) -> Bool)? = nil) throws {
        if command?.hasPrefix("ID ") != true && curl.activeSocket == nil {
            try identify()
        }
        prepare(url: url, command: command, timeout: timeout)
        do {
            try curl.perform(sink: sink)
        } catch let error as TransportError {
            // libcurl may have found the old connection dead and opened a new one without our
            // ID; servers like Coremail then refuse SELECT. Identify on it and try once more.
            if curl.newConnections > 0, error.kind == .server, sink == nil {
                try identify()
                prepare(url: url, command: command, timeout: timeout)
                do {
                    try curl.perform()
                    return
                } catch let retry as TransportError {
                    throw TransportError(retry.kind, "IMAP \(settings.accountDescription): \(retry.message)")
                }
            }
            throw TransportError(error.kind, "IMAP \(settings.accountDescription): \(error.message)")
        }
        // A silent reconnect that worked: still send ID on the new connection, as promised.
        if curl.newConnections > 0 { try identify() }
    }

    /// Sends RFC 2971 ID; it opens (and logs in) a connection when there is none.
    public func identify() throws {
        let command = "ID (\"name\" \"\(clientName)\" \"version\" \"\(clientVersion)\")"
        prepare(url: baseURL, command: command)
        do {
            try curl.perform()
        } catch let error as TransportError {
            throw TransportError(error.kind, "IMAP \(settings.accountDescription): \(error.message)")
        }
        identifications += 1
        capabilities = nil
    }

    public func status(of mailbox: String) throws -> MailboxStatus {
        try run(url: baseURL, command: "STATUS \(Self.quoted(mailbox)) (UIDVALIDITY UIDNEXT MESSAGES)")
        let text = (curl.serverLines + [String(decoding: curl.body, as: UTF8.self)]).joined(separator: "\n")
        func number(_ key: String) -> UInt64? {
            guard let range = text.range(of: key + " ") else { return nil }
            return UInt64(text[range.upperBound...].prefix { $0.isNumber })
        }
        let validity = number("UIDVALIDITY")
        return MailboxStatus(uidValidity: validity == 0 ? nil : validity, uidNext: number("UIDNEXT"),
                             messages: number("MESSAGES").map(Int.init))
    }

    /// UIDs in `mailbox` greater than `uid`, ascending.
    public func uids(in mailbox: String, above uid: UInt64) throws -> [UInt64] {
        try run(url: mailboxURL(mailbox), command: "UID SEARCH UID \(uid + 1):*")
        let text = (curl.serverLines + [String(decoding: curl.body, as: UTF8.self)]).joined(separator: "\n")
        var found: [UInt64] = []
        for line in text.split(separator: "\n") where line.hasPrefix("* SEARCH") {
            found += line.dropFirst("* SEARCH".count).split(separator: " ").compactMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        // "n:*" always includes the highest UID, even below n: keep only the ones asked for.
        return Array(Set(found.filter { $0 > uid })).sorted()
    }

    /// Streams the whole message into `file` (created exclusively). With `uidValidity`, libcurl
    /// checks it has not changed. Returns the number of bytes written.
    @discardableResult
    public func fetch(uid: UInt64, from mailbox: String, uidValidity: UInt64?, into file: URL) throws -> Int64 {
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw TransportError(.local, "cannot create \(file.path): \(String(cString: strerror(errno)))")
        }
        let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var written: Int64 = 0
        var writeFailed = false
        let validity = uidValidity.map { ";UIDVALIDITY=\($0)" } ?? ""
        try run(url: mailboxURL(mailbox) + "\(validity)/;UID=\(uid)", command: nil, timeout: settings.timeout) { chunk in
            do {
                try output.write(contentsOf: chunk)
                written += Int64(chunk.count)
                return true
            } catch {
                writeFailed = true
                return false
            }
        }
        if writeFailed { throw TransportError(.local, "cannot write \(file.path)") }
        try output.synchronize()
        try output.close()
        return written
    }

    /// Moves one message to another mailbox: UID MOVE, or COPY + \Deleted + UID EXPUNGE where
    /// the server has no MOVE.
    public func move(uid: UInt64, from mailbox: String, to destination: String) throws {
        if try capabilitySet().contains("MOVE") {
            try run(url: mailboxURL(mailbox), command: "UID MOVE \(uid) \(Self.quoted(destination))")
        } else {
            try run(url: mailboxURL(mailbox), command: "UID COPY \(uid) \(Self.quoted(destination))")
            try run(url: mailboxURL(mailbox), command: "UID STORE \(uid) +FLAGS.SILENT (\\Deleted)")
            try run(url: mailboxURL(mailbox), command: "UID EXPUNGE \(uid)")
        }
    }

    /// Creates `mailbox` when STATUS says it is not there (the Processed and Failed folders on a
    /// fresh account). Returns true when it had to be created.
    @discardableResult
    public func ensureMailbox(_ mailbox: String) throws -> Bool {
        do {
            _ = try status(of: mailbox)
            return false
        } catch let error as TransportError where error.kind == .server {
            try run(url: baseURL, command: "CREATE \(Self.quoted(mailbox))")
            return true
        }
    }

    /// Adds a flag instead of moving (for servers where staff want mail left in place).
    public func flag(uid: UInt64, in mailbox: String, flag: String) throws {
        try run(url: mailboxURL(mailbox), command: "UID STORE \(uid) +FLAGS.SILENT (\(flag))")
    }

    public func capabilitySet() throws -> Set<String> {
        if let capabilities { return capabilities }
        try run(url: baseURL, command: "CAPABILITY")
        let text = (curl.serverLines + [String(decoding: curl.body, as: UTF8.self)]).joined(separator: "\n")
        var found: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("* CAPABILITY") {
            found.formUnion(line.split(separator: " ").dropFirst(2).map { $0.uppercased() })
        }
        capabilities = found
        return found
    }

    /// Drops the connection (tests use it to force a reconnect).
    public func disconnect() {
        curl.set(CURLOPT_FORBID_REUSE, 1)
        prepare(url: baseURL, command: "NOOP")
        try? curl.perform()
        curl.set(CURLOPT_FORBID_REUSE, 0)
    }

    static func quoted(_ mailbox: String) -> String {
        "\"" + mailbox.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
