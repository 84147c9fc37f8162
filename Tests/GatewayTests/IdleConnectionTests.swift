import Foundation
import MailTransport
import TestSupport
import Testing

/// `IMAPIdleConnection` alone: libcurl's CONNECT_ONLY login, then IDLE spoken by hand.
@Suite("IMAP IDLE connection against Dovecot", .serialized)
struct IdleConnectionTests {
    static func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() && Date() < deadline { usleep(20_000) }
        return condition()
    }

    func settings(_ server: DovecotServer) -> ServerSettings {
        ServerSettings(host: "127.0.0.1", port: server.port, security: server.mode == .tls ? .tls : server.mode == .starttls ? .starttls : .none,
                       username: server.username, password: server.password, caFile: server.tls ? server.caFile : nil)
    }

    @Test("IDLE over plain, imaps and STARTTLS: EXISTS announced for a delivered mail; DONE answered; renew on the deadline",
          arguments: [DovecotServer.Mode.plain, .tls, .starttls])
    func existsAnnounced(mode: DovecotServer.Mode) throws {
        let server = try DovecotServer(mode: mode)
        defer { server.remove() }
        try server.deliver(PollerTests.message(1), name: "m1")
        let connection = try IMAPIdleConnection(settings: settings(server), answerTimeout: 5)
        try connection.open(mailbox: "INBOX")
        #expect(connection.offersIdle)
        #expect(connection.messagesAtSelect == 1)
        try connection.startIdle()
        #expect(try connection.waitForMail(until: Date().addingTimeInterval(0.5)) { false } == .renew)
        try server.deliver(PollerTests.message(2), name: "m2")
        let start = Date()
        #expect(try connection.waitForMail(until: Date().addingTimeInterval(10)) { false } == .exists(2))
        #expect(Date().timeIntervalSince(start) < 2)
        try connection.endIdle()
        try connection.noop()
        connection.close()
        #expect(server.log().components(separatedBy: "ID sent: name=tuibao").count - 1 == 1)
    }

    @Test("a server process that stops answering (SIGSTOP): DONE times out as a dead connection")
    func deadConnection() throws {
        let server = try DovecotServer()
        defer { server.remove() }
        let connection = try IMAPIdleConnection(settings: settings(server), answerTimeout: 2)
        try connection.open(mailbox: "INBOX")
        try connection.startIdle()
        #expect(Self.waitFor(10) { server.idlingProcesses().count == 1 })
        let pid = try #require(server.idlingProcesses().first)
        kill(pid, SIGSTOP)
        defer { kill(pid, SIGKILL); kill(pid, SIGCONT) }
        let start = Date()
        let error = #expect(throws: TransportError.self) { try connection.endIdle() }
        #expect(error?.kind == .timeout && error?.message.contains("no answer to DONE within 2 s") == true, "\(String(describing: error))")
        #expect(Date().timeIntervalSince(start) < 4)
    }

    @Test("the server closes the connection (doveadm kick): waiting in IDLE throws, naming the BYE")
    func kicked() throws {
        let server = try DovecotServer()
        defer { server.remove() }
        let connection = try IMAPIdleConnection(settings: settings(server), answerTimeout: 5)
        try connection.open(mailbox: "INBOX")
        try connection.startIdle()
        #expect(Self.waitFor(10) { server.idlingProcesses().count == 1 })
        try server.doveadm(["kick", server.username])
        let error = #expect(throws: TransportError.self) { _ = try connection.waitForMail(until: Date().addingTimeInterval(10)) { false } }
        #expect(error?.kind == .connection && error?.message.contains("closed the connection") == true, "\(String(describing: error))")
    }
}
