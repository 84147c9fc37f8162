import Foundation

/// Puts messages into a mailbox with IMAP APPEND over plain loopback, as a delivering server
/// that speaks IMAP would: no flags, so the message arrives unseen (curl's APPEND would store
/// `\Seen`), and the server tells its IDLE clients at once. One connection, logged in with
/// AUTHENTICATE PLAIN (the test password is not ASCII).
public final class IMAPAppender {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var tag = 0

    public init(port: Int, username: String, password: String) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw Self.failure("cannot connect to 127.0.0.1:\(port)")
        }
        _ = try line()  // greeting
        let plain = Data([0] + Array(username.utf8) + [0] + Array(password.utf8)).base64EncodedString()
        try command("AUTHENTICATE PLAIN \(plain)")
    }

    deinit { close(descriptor) }

    /// Appends one message; returns when the server has stored it (tagged OK).
    public func append(_ message: Data, to mailbox: String = "INBOX") throws {
        tag += 1
        let name = "A\(tag)"
        try write(Data("\(name) APPEND \"\(mailbox)\" {\(message.count)}\r\n".utf8))
        let continuation = try line()
        guard continuation.hasPrefix("+") else { throw Self.failure("APPEND refused: \(continuation)") }
        try write(message + Data("\r\n".utf8))
        try awaitTagged(name)
    }

    public func logout() {
        try? command("LOGOUT")
    }

    private func command(_ text: String) throws {
        tag += 1
        try write(Data("A\(tag) \(text)\r\n".utf8))
        try awaitTagged("A\(tag)")
    }

    private func awaitTagged(_ name: String) throws {
        while true {
            let reply = try line()
            if reply.hasPrefix("\(name) ") {
                guard reply.dropFirst(name.count + 1).hasPrefix("OK") else { throw Self.failure(reply) }
                return
            }
        }
    }

    private func write(_ data: Data) throws {
        try data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = send(descriptor, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                guard written > 0 else { throw Self.failure("send: \(String(cString: strerror(errno)))") }
                offset += written
            }
        }
    }

    private func line() throws -> String {
        while true {
            if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let text = String(decoding: buffer[..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                buffer.removeSubrange(...end)
                return text
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = recv(descriptor, &chunk, chunk.count, 0)
            guard count > 0 else { throw Self.failure(count == 0 ? "connection closed" : "recv: \(String(cString: strerror(errno)))") }
            buffer += chunk[0..<count]
        }
    }

    static func failure(_ message: String) -> NSError {
        NSError(domain: "IMAPAppender", code: 1, userInfo: [NSLocalizedDescriptionKey: message])
    }
}
