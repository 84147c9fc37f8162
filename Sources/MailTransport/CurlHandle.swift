import CCurl
import Foundation

/// Why a transfer failed: curl's code and message, plus the last server line (never a password).
public struct TransportError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case login, connection, tls, timeout, server, local
    }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// One libcurl easy handle, owned: freed in deinit, and keeping alive the strings and lists the
/// handle borrows. Not thread-safe: one handle per thread, as libcurl requires.
///
/// @unchecked Sendable: the handle is only ever used by one task at a time (the poller or the
/// dispatcher owns it); the class makes no internal use of shared state.
final class CurlHandle: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    /// Lines of the server's responses (the header callback), for error messages and parsing.
    private(set) var serverLines: [String] = []
    /// Bytes of the body (the write callback), or a sink that receives them instead.
    private(set) var body = Data()
    private var sink: ((UnsafeRawBufferPointer) -> Bool)?

    static let globalInit: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()

    init() throws {
        _ = Self.globalInit
        guard let handle = curl_easy_init() else { throw TransportError(.local, "curl_easy_init failed") }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
        lists.forEach { curl_slist_free_all($0) }
    }

    func set(_ option: CURLoption, _ value: Int) {
        _ = ccurl_setopt_long(handle, option, value)
    }

    func set(_ option: CURLoption, _ value: String?) {
        _ = ccurl_setopt_string(handle, option, value)  // libcurl copies string options
    }

    func set(_ option: CURLoption, list values: [String]) {
        var list: UnsafeMutablePointer<curl_slist>?
        for value in values { list = curl_slist_append(list, value) }
        if let list { lists.append(list) }
        _ = ccurl_setopt_slist(handle, option, list)
    }

    /// The socket of the live connection, or nil when there is none (the next call reconnects).
    var activeSocket: Int32? {
        var socket: curl_socket_t = -1
        let result = ccurl_getinfo_socket(handle, CURLINFO_ACTIVESOCKET, &socket)
        return result == CURLE_OK && socket != -1 ? socket : nil
    }

    /// New connections libcurl had to open for the last transfer (0: an existing one was reused).
    var newConnections: Int {
        var count = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &count)
        return count
    }

    var responseCode: Int {
        var code = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// Performs one transfer. Body bytes go to `sink` when given (return false to abort), else
    /// into `body`.
    func perform(sink: ((UnsafeRawBufferPointer) -> Bool)? = nil) throws {
        serverLines = []
        body = Data()
        self.sink = sink
        defer { self.sink = nil }
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        _ = ccurl_setopt_write_function(handle) { data, size, count, context in
            let handle = Unmanaged<CurlHandle>.fromOpaque(context!).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            if let sink = handle.sink {
                return sink(bytes) ? size * count : 0
            }
            handle.body.append(contentsOf: bytes)
            return size * count
        }
        _ = ccurl_setopt_header_function(handle) { data, size, count, context in
            let handle = Unmanaged<CurlHandle>.fromOpaque(context!).takeUnretainedValue()
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
            handle.serverLines.append(line.trimmingCharacters(in: .newlines))
            return size * count
        }
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else { throw error(for: code) }
    }

    /// Uploads `data` (SMTP DATA): libcurl reads it through the read callback.
    func upload(_ data: Data) throws {
        uploadData = data
        uploadOffset = 0
        defer { uploadData = Data() }
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_setopt_pointer(handle, CURLOPT_READDATA, context)
        _ = ccurl_setopt_read_function(handle) { buffer, size, count, context in
            let handle = Unmanaged<CurlHandle>.fromOpaque(context!).takeUnretainedValue()
            let room = size * count
            let remaining = handle.uploadData.count - handle.uploadOffset
            let length = min(room, remaining)
            guard length > 0, let buffer else { return 0 }
            handle.uploadData.withUnsafeBytes { bytes in
                UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + handle.uploadOffset, byteCount: length)
            }
            handle.uploadOffset += length
            return length
        }
        try perform()
    }

    // MARK: - A connection of our own (CURLOPT_CONNECT_ONLY)

    /// Connects and logs in (libcurl's IMAP connect phase: greeting, CAPABILITY, STARTTLS,
    /// LOGIN/AUTHENTICATE), then stops: the connection is left for `sendRaw`/`receiveRaw`, which
    /// go through libcurl's TLS layer. Used for commands libcurl has no verb for (IDLE).
    func connectOnly() throws {
        set(CURLOPT_CONNECT_ONLY, 1)
        try perform()
    }

    /// Writes all of `bytes` on a CONNECT_ONLY connection, waiting for the socket up to `timeout`.
    func sendRaw(_ bytes: [UInt8], timeout: TimeInterval) throws {
        var offset = 0
        let deadline = Date().addingTimeInterval(timeout)
        while offset < bytes.count {
            var sent = 0
            let code = bytes.withUnsafeBytes { buffer in
                curl_easy_send(handle, buffer.baseAddress! + offset, bytes.count - offset, &sent)
            }
            if code == CURLE_AGAIN {
                guard try waitForSocket(events: Int16(POLLOUT), until: deadline) else {
                    throw TransportError(.timeout, "timed out sending to the server")
                }
                continue
            }
            guard code == CURLE_OK else { throw error(for: code) }
            offset += sent
        }
    }

    /// What `receiveRaw` got.
    enum Received {
        case bytes([UInt8])
        /// Nothing arrived before the deadline.
        case nothing
        /// The server closed the connection.
        case closed
    }

    /// Reads what the server has sent, waiting for it up to `deadline`. Drains libcurl (and its
    /// TLS buffer) before waiting on the socket, so no record already decrypted is left behind.
    func receiveRaw(until deadline: Date) throws -> Received {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            var count = 0
            let code = buffer.withUnsafeMutableBytes { curl_easy_recv(handle, $0.baseAddress!, $0.count, &count) }
            if code == CURLE_OK {
                return count == 0 ? .closed : .bytes(Array(buffer[0..<count]))
            }
            guard code == CURLE_AGAIN else {
                if code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING { return .closed }
                throw error(for: code)
            }
            guard try waitForSocket(events: Int16(POLLIN), until: deadline) else { return .nothing }
        }
    }

    /// poll(2) on the connection's socket; false when the deadline passed first.
    private func waitForSocket(events: Int16, until deadline: Date) throws -> Bool {
        guard let socket = activeSocket else { throw TransportError(.connection, "the connection is gone") }
        var descriptor = pollfd(fd: socket, events: events, revents: 0)
        while true {
            let milliseconds = Int32(max(0, min(deadline.timeIntervalSinceNow * 1000, Double(Int32.max))).rounded(.up))
            let result = poll(&descriptor, 1, milliseconds)
            if result > 0 { return true }  // readable, writable, or closed/errored: recv/send will tell
            if result == 0 { return false }
            if errno != EINTR { throw TransportError(.local, "poll: \(String(cString: strerror(errno)))") }
        }
    }

    private var uploadData = Data()
    private var uploadOffset = 0

    private func error(for code: CURLcode) -> TransportError {
        let text = String(cString: curl_easy_strerror(code))
        // The last tagged server line says why (e.g. "A001 NO [AUTHENTICATIONFAILED] …").
        let server = serverLines.last { !$0.isEmpty && !$0.hasPrefix("*") }.map { "; server: \($0)" } ?? ""
        switch code {
        case CURLE_LOGIN_DENIED: return TransportError(.login, "login refused (\(text))\(server)")
        case CURLE_OPERATION_TIMEDOUT: return TransportError(.timeout, "timed out (\(text))")
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING:
            return TransportError(.connection, "\(text)\(server)")
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_USE_SSL_FAILED, CURLE_SSL_CACERT_BADFILE:
            return TransportError(.tls, "TLS: \(text)\(server)")
        case CURLE_WRITE_ERROR: return TransportError(.local, "writing the received data failed")
        default: return TransportError(.server, "\(text)\(server)")
        }
    }
}
