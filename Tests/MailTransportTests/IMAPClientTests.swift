import Foundation
import MailTransport
import TestSupport
import Testing

@Suite("IMAP client against a real Dovecot", .serialized)
struct IMAPClientTests {
    static func message(_ index: Int) -> Data {
        Data("""
        From: 物理所 <dangban@iphy.ac.cn>\r
        To: xcb@cashq.ac.cn\r
        Subject: =?UTF-8?B?5o6o5oql5p2Q5paZ?= \(index)\r
        Message-ID: <m\(index)@iphy.ac.cn>\r
        \r
        第 \(index) 封\r

        """.utf8)
    }

    func settings(_ server: DovecotServer, password: String? = nil) -> ServerSettings {
        let security: ServerSettings.Security = switch server.mode {
        case .plain: .none
        case .tls: .tls
        case .starttls: .starttls
        }
        return ServerSettings(host: "127.0.0.1", port: server.port, security: security,
                       username: server.username, password: password ?? server.password,
                       caFile: server.tls ? server.caFile : nil, connectTimeout: 5, timeout: 30)
    }

    @Test("status, search, fetch into a file byte for byte, move; ID on every connection (plain, imaps, STARTTLS)",
          arguments: [DovecotServer.Mode.plain, .tls, .starttls])
    func roundTrip(_ mode: DovecotServer.Mode) throws {
        let server = try DovecotServer(mode: mode)
        defer { server.remove() }
        for index in 1...3 { try server.deliver(Self.message(index), name: "m\(index)") }
        let client = try IMAPClient(settings: settings(server))
        let status = try client.status(of: "INBOX")
        #expect(status.messages == 3)
        #expect(status.uidValidity != nil)
        let uids = try client.uids(in: "INBOX", above: 0)
        #expect(uids == [1, 2, 3])
        #expect(try client.uids(in: "INBOX", above: 3) == [])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fetch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("1.eml")
        let size = try client.fetch(uid: 1, from: "INBOX", uidValidity: status.uidValidity, into: file)
        #expect(try Data(contentsOf: file) == Self.message(1))
        #expect(size == Int64(Self.message(1).count))
        try client.move(uid: 1, from: "INBOX", to: "Processed")
        #expect(try client.uids(in: "INBOX", above: 0) == [2, 3])
        #expect(try client.status(of: "Processed").messages == 1)

        // A forced reconnect: ID again on the new connection, and Dovecot logged both.
        client.disconnect()
        #expect(try client.uids(in: "INBOX", above: 0) == [2, 3])
        #expect(client.identifications == 2)
        let logged = server.log().components(separatedBy: "ID sent: name=tuibao").count - 1
        #expect(logged == 2)
        if mode != .plain {
            // Dovecot logs "TLS" in the login line of an encrypted session; every login here was one.
            let logins = server.log().split(separator: "\n").filter { $0.contains("Login: user=<xcb>") }
            #expect(logins.count == 2)
            #expect(logins.allSatisfy { $0.contains("TLS") })
        }
    }

    @Test("STARTTLS required: a server that does not offer it is refused, the password never sent in clear")
    func startTLSRequired() throws {
        let server = try DovecotServer(mode: .plain)
        defer { server.remove() }
        var settings = settings(server)
        settings.security = .starttls
        let client = try IMAPClient(settings: settings)
        #expect(throws: TransportError.self) { _ = try client.status(of: "INBOX") }
        #expect(!server.log().contains("Login: user=<xcb>"))
    }

    @Test("missing folders are created once (Processed/Failed on a fresh account)")
    func ensureMailbox() throws {
        let server = try DovecotServer()
        defer { server.remove() }
        let client = try IMAPClient(settings: settings(server))
        #expect(try client.ensureMailbox("Archive") == true)
        #expect(try client.ensureMailbox("Archive") == false)
        #expect(try client.ensureMailbox("INBOX") == false)
        #expect(try client.status(of: "Archive").messages == 0)
    }

    @Test("a stale UIDVALIDITY is refused by the fetch")
    func staleValidity() throws {
        let server = try DovecotServer()
        defer { server.remove() }
        try server.deliver(Self.message(1), name: "m1")
        let client = try IMAPClient(settings: settings(server))
        let validity = try #require(try client.status(of: "INBOX").uidValidity)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stale-\(UUID().uuidString).eml")
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(throws: TransportError.self) { try client.fetch(uid: 1, from: "INBOX", uidValidity: validity + 1, into: file) }
    }

    @Test("a wrong password: a clear error naming server and account, never the password")
    func wrongPassword() throws {
        let server = try DovecotServer()
        defer { server.remove() }
        let client = try IMAPClient(settings: settings(server, password: "wrong-口令-123"))
        do {
            _ = try client.status(of: "INBOX")
            Issue.record("login with a wrong password succeeded")
        } catch let error as TransportError {
            #expect(error.kind == .login)
            #expect(error.message.contains("xcb@127.0.0.1:\(server.port)"))
            #expect(!error.message.contains("wrong-口令-123"))
            #expect(!error.message.contains(server.password))
        }
    }

    @Test("TLS with an unknown certificate is refused (verification is on)")
    func unverifiedCertificate() throws {
        let server = try DovecotServer(tls: true)
        defer { server.remove() }
        var unverified = settings(server)
        unverified.caFile = nil
        let client = try IMAPClient(settings: unverified)
        #expect(throws: TransportError.self) { _ = try client.status(of: "INBOX") }
    }
}
