import CCurl
import Foundation

/// A connection of its own that waits for new mail with IMAP IDLE (RFC 2177). libcurl has no
/// IDLE verb: it connects and logs in with `CURLOPT_CONNECT_ONLY` (greeting, CAPABILITY,
/// STARTTLS, LOGIN — the same TLS and verification settings as `IMAPClient`), and the commands
/// after that are written and read here through `curl_easy_send`/`curl_easy_recv` (as curl's
/// own test lib677 does): ID, CAPABILITY, EXAMINE (the mailbox selected read-only: this
/// connection never changes it), then IDLE … DONE. Fetching and moving stay on `IMAPClient`.
///
/// Every command must be answered within `answerTimeout`; a connection that does not answer
/// DONE or NOOP in time is dead (`TransportError.timeout`). TCP keepalive finds a silently
/// dropped peer while idling.
public final class IMAPIdleConnection: @unchecked Sendable {
    // @unchecked Sendable: owned by one task at a time (the IDLE watcher); see CurlHandle.
    public let settings: ServerSettings
    public var clientName = "tuibao"
    public var clientVersion = "1.0"
    /// Seconds a command (DONE, NOOP, …) may take to be answered before the connection counts as dead.
    public var answerTimeout: TimeInterval
    private let curl: CurlHandle
    private var tagNumber = 0
    /// Bytes read but not yet taken as lines.
    private var buffer: [UInt8] = []
    /// The tag of the IDLE command in progress, nil when not idling.
    private var idleTag: String?
    /// An EXISTS that came with the answer to IDLE itself, before `waitForMail` was called.
    private var pendingExists: Int?
    /// The server's capabilities after login (upper case).
    public private(set) var capabilities: Set<String> = []
    /// Messages in the mailbox when it was selected.
    public private(set) var messagesAtSelect: Int?
    /// The BYE text the server said goodbye with, if it did.
    public private(set) var goodbye: String?

    public init(settings: ServerSettings, answerTimeout: TimeInterval = 30) throws {
        self.settings = settings
        self.answerTimeout = answerTimeout
        curl = try CurlHandle()
    }

    public var offersIdle: Bool { capabilities.contains("IDLE") }

    /// Connects and logs in, sends ID (RFC 2971, on this connection too: Coremail refuses
    /// SELECT without it), reads the capabilities, and selects `mailbox` read-only (EXAMINE).
    public func open(mailbox: String) throws {
        let scheme = settings.security == .tls ? "imaps" : "imap"
        curl.set(CURLOPT_URL, "\(scheme)://\(settings.host)\(settings.port.map { ":\($0)" } ?? "")/")
        curl.set(CURLOPT_USERNAME, settings.username)
        curl.set(CURLOPT_PASSWORD, settings.password)
        curl.set(CURLOPT_USE_SSL, settings.security == .none ? Int(CURLUSESSL_NONE.rawValue) : Int(CURLUSESSL_ALL.rawValue))
        curl.set(CURLOPT_SSL_VERIFYPEER, 1)
        curl.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = settings.caFile { curl.set(CURLOPT_CAINFO, caFile) }
        curl.set(CURLOPT_CONNECTTIMEOUT, settings.connectTimeout)
        curl.set(CURLOPT_TIMEOUT, settings.connectTimeout + Int(answerTimeout))
        curl.set(CURLOPT_NOSIGNAL, 1)
        // A peer that vanished without a FIN (NAT timeout, cable) is noticed within ~4 minutes.
        curl.set(CURLOPT_TCP_KEEPALIVE, 1)
        curl.set(CURLOPT_TCP_KEEPIDLE, 60)
        curl.set(CURLOPT_TCP_KEEPINTVL, 20)
        do {
            try curl.connectOnly()
            try command("ID (\"name\" \"\(clientName)\" \"version\" \"\(clientVersion)\")")
            var found: Set<String> = []
            for line in try command("CAPABILITY") where line.hasPrefix("* CAPABILITY ") {
                found.formUnion(line.split(separator: " ").dropFirst(2).map { $0.uppercased() })
            }
            capabilities = found
            for line in try command("EXAMINE \(IMAPClient.quoted(mailbox))") {
                if let count = Self.exists(in: line) { messagesAtSelect = count }
            }
        } catch let error as TransportError {
            throw TransportError(error.kind, "IMAP IDLE \(settings.accountDescription): \(error.message)")
        }
    }

    /// Starts IDLE: waits for the server's "+" continuation.
    public func startIdle() throws {
        let tag = nextTag()
        try send("\(tag) IDLE\r\n")
        let deadline = Date().addingTimeInterval(answerTimeout)
        while true {
            guard let line = try readLine(until: deadline) else {
                throw TransportError(.timeout, "IMAP IDLE \(settings.accountDescription): no answer to IDLE within \(Int(answerTimeout)) s")
            }
            if line.hasPrefix("+") { idleTag = tag; return }
            if let count = Self.exists(in: line) { pendingExists = count }
            if line.hasPrefix("\(tag) ") {
                throw TransportError(.server, "IMAP IDLE \(settings.accountDescription): IDLE refused; server: \(line)")
            }
        }
    }

    /// What ended a wait in IDLE.
    public enum Event: Sendable, Equatable {
        /// `* n EXISTS`: the mailbox has n messages now.
        case exists(Int)
        /// The deadline passed (time to renew IDLE).
        case renew
        /// `shouldStop` said so.
        case stopping
    }

    /// Waits in IDLE until the server announces mail (EXISTS), `deadline` passes, or
    /// `shouldStop` (asked every quarter second) says to stop. A closed connection throws.
    public func waitForMail(until deadline: Date, shouldStop: () -> Bool) throws -> Event {
        if let count = pendingExists {
            pendingExists = nil
            return .exists(count)
        }
        while true {
            if shouldStop() { return .stopping }
            let now = Date()
            if now >= deadline { return .renew }
            if let line = try readLine(until: min(deadline, now.addingTimeInterval(0.25))) {
                if let count = Self.exists(in: line) { return .exists(count) }
            }
        }
    }

    /// Ends IDLE with DONE and waits for the tagged answer: none within `answerTimeout` means
    /// the connection is dead.
    public func endIdle(timeout: TimeInterval? = nil) throws {
        guard let tag = idleTag else { return }
        idleTag = nil
        try send("DONE\r\n")
        try awaitAnswer(tag: tag, to: "DONE", timeout: timeout ?? answerTimeout)
    }

    /// NOOP, answered within `answerTimeout` on a live connection.
    public func noop() throws {
        try command("NOOP")
    }

    /// Ends IDLE if idling, then LOGOUT; errors are ignored (the connection is closed anyway).
    public func close(timeout: TimeInterval = 2) {
        try? endIdle(timeout: timeout)
        let tag = nextTag()
        if (try? send("\(tag) LOGOUT\r\n")) != nil {
            _ = try? awaitAnswer(tag: tag, to: "LOGOUT", timeout: timeout)
        }
    }

    // MARK: - Lines

    @discardableResult
    private func command(_ text: String) throws -> [String] {
        let tag = nextTag()
        try send("\(tag) \(text)\r\n")
        let name = String(text.prefix { $0 != " " })
        return try awaitAnswer(tag: tag, to: name, timeout: answerTimeout)
    }

    /// Reads until the tagged answer to `tag`; returns the untagged lines before it. NO or BAD
    /// is a server error, silence past the timeout a dead connection.
    @discardableResult
    private func awaitAnswer(tag: String, to name: String, timeout: TimeInterval) throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var untagged: [String] = []
        while true {
            guard let line = try readLine(until: deadline) else {
                throw TransportError(.timeout, "IMAP \(settings.accountDescription): no answer to \(name) within \(Int(timeout)) s")
            }
            if line.hasPrefix("\(tag) ") {
                let status = line.dropFirst(tag.count + 1).prefix { $0 != " " }.uppercased()
                guard status == "OK" else {
                    throw TransportError(.server, "IMAP \(settings.accountDescription): \(name) refused; server: \(line)")
                }
                return untagged
            }
            untagged.append(line)
        }
    }

    private func nextTag() -> String {
        tagNumber += 1
        return "T\(tagNumber)"
    }

    private func send(_ text: String) throws {
        do {
            try curl.sendRaw(Array(text.utf8), timeout: answerTimeout)
        } catch let error as TransportError {
            throw TransportError(.connection, "IMAP \(settings.accountDescription): \(error.message)")
        }
    }

    /// One line (literals `{n}` folded in), nil when the deadline passed first. A closed
    /// connection throws, naming the server's BYE when it sent one.
    private func readLine(until deadline: Date) throws -> String? {
        var literal = 0  // bytes of a literal still to take into the line
        var scanned = 0
        while true {
            if literal > 0, buffer.count - scanned >= literal {
                scanned += literal
                literal = 0
            }
            if literal == 0, let end = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                let lineBytes = buffer[..<end]
                if let size = Self.literalSize(ending: lineBytes) {
                    scanned = end + 1
                    literal = size
                    continue
                }
                let line = String(decoding: lineBytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                buffer.removeSubrange(...end)
                if line.hasPrefix("* BYE") { goodbye = line }
                return line
            }
            let received: CurlHandle.Received
            do {
                received = try curl.receiveRaw(until: deadline)
            } catch let error as TransportError {
                throw TransportError(.connection, "IMAP \(settings.accountDescription): \(error.message)")
            }
            switch received {
            case .bytes(let bytes): buffer += bytes
            case .nothing: return nil
            case .closed:
                throw TransportError(.connection, "IMAP \(settings.accountDescription): the server closed the connection\(goodbye.map { " (\($0))" } ?? "")")
            }
        }
    }

    /// The size of the literal a line announces at its end (`{123}` or `{123+}` before CRLF).
    static func literalSize(ending line: ArraySlice<UInt8>) -> Int? {
        var text = String(decoding: line, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        guard text.hasSuffix("}"), let open = text.lastIndex(of: "{") else { return nil }
        var digits = text[text.index(after: open)..<text.index(before: text.endIndex)]
        if digits.hasSuffix("+") { digits = digits.dropLast() }
        return digits.isEmpty ? nil : Int(digits)
    }

    /// n from `* n EXISTS`.
    static func exists(in line: String) -> Int? {
        let parts = line.split(separator: " ")
        guard parts.count == 3, parts[0] == "*", parts[2].uppercased() == "EXISTS" else { return nil }
        return Int(parts[1])
    }
}
