import CCurl
import Foundation

/// SMTP over libcurl: TLS required by default (smtps:// or STARTTLS that must succeed),
/// certificate verification, AUTH with the configured account, the connection reused across a
/// batch. An error says whether trying again later can help (4xx, network) or not (5xx).
public final class SMTPClient: @unchecked Sendable {
    // @unchecked Sendable: owned by one task at a time (the dispatcher); see CurlHandle.
    public let settings: ServerSettings
    public let ehloName: String
    private let curl: CurlHandle

    public struct SendError: Error, CustomStringConvertible, Sendable {
        /// The server's reply code (0 when the connection itself failed).
        public var code: Int
        public var message: String
        /// True for 4xx replies and network trouble: worth trying again later.
        public var isTransient: Bool { code == 0 || (400..<500).contains(code) }
        public var description: String { message }
    }

    public init(settings: ServerSettings, ehloName: String) throws {
        self.settings = settings
        self.ehloName = ehloName
        curl = try CurlHandle()
    }

    public func send(from sender: String, to recipients: [String], message: Data) throws {
        prepare()
        curl.set(CURLOPT_CUSTOMREQUEST, nil)
        curl.set(CURLOPT_MAIL_FROM, "<\(sender)>")
        curl.set(CURLOPT_MAIL_RCPT, list: recipients.map { "<\($0)>" })
        curl.set(CURLOPT_UPLOAD, 1)
        curl.set(CURLOPT_INFILESIZE_LARGE, message.count)
        do {
            try curl.upload(message)
        } catch let error as TransportError {
            throw sendError(error)
        }
    }

    /// Connects, says EHLO, upgrades to TLS and logs in as configured, then sends NOOP: proves the
    /// account works without sending anything (`tuibao doctor`).
    public func verify() throws {
        prepare()
        curl.set(CURLOPT_UPLOAD, 0)
        curl.set(CURLOPT_MAIL_RCPT, list: [])
        curl.set(CURLOPT_CUSTOMREQUEST, "NOOP")
        defer { curl.set(CURLOPT_CUSTOMREQUEST, nil) }
        do {
            try curl.perform()
        } catch let error as TransportError {
            throw sendError(error)
        }
    }

    private func prepare() {
        let scheme = settings.security == .tls ? "smtps" : "smtp"
        let path = ehloName.addingPercentEncoding(withAllowedCharacters: .urlHostAllowed) ?? "localhost"
        curl.set(CURLOPT_URL, "\(scheme)://\(settings.host)\(settings.port.map { ":\($0)" } ?? "")/\(path)")
        if !settings.username.isEmpty {
            curl.set(CURLOPT_USERNAME, settings.username)
            curl.set(CURLOPT_PASSWORD, settings.password)
        }
        curl.set(CURLOPT_USE_SSL, settings.security == .none ? Int(CURLUSESSL_NONE.rawValue) : Int(CURLUSESSL_ALL.rawValue))
        curl.set(CURLOPT_SSL_VERIFYPEER, 1)
        curl.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = settings.caFile { curl.set(CURLOPT_CAINFO, caFile) }
        curl.set(CURLOPT_CONNECTTIMEOUT, settings.connectTimeout)
        curl.set(CURLOPT_TIMEOUT, settings.timeout)
        curl.set(CURLOPT_NOSIGNAL, 1)
    }

    private func sendError(_ error: TransportError) -> SendError {
        let code = curl.responseCode
        let kind = error.kind == .login ? "login refused" : error.message
        return SendError(code: error.kind == .login ? 535 : code,
                         message: "SMTP \(settings.accountDescription): \(kind)\(code > 0 ? " (\(code))" : "")")
    }
}
