import Foundation
import MailTransport
import Store
import TestSupport
import Testing
@testable import Gateway

/// `tuibao serve` waiting for mail with IMAP IDLE against a real Dovecot, replies to aiosmtpd.
@Suite("IMAP IDLE: mail taken in and answered within seconds", .serialized)
struct IdleTests {
    /// A running `tuibao serve`, its stderr kept in a file for the failure messages.
    final class Serve {
        let process = Process()
        let logFile: URL

        init(_ workspace: TestWorkspace, _ imap: DovecotServer) throws {
            logFile = workspace.directory.appendingPathComponent("serve.log")
            _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
            process.executableURL = TestWorkspace.binary
            process.arguments = ["serve", "--config", workspace.configFile.path]
            process.environment = ProcessInfo.processInfo.environment.merging(["TUIBAO_IMAP_PASSWORD": imap.password]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: logFile)
            try process.run()
        }

        var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

        /// SIGTERM; the seconds until it exited and its status.
        func terminate() -> (seconds: Double, status: Int32, clean: Bool) {
            let start = Date()
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            return (Date().timeIntervalSince(start), process.terminationStatus, process.terminationReason == .exit)
        }

        deinit {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
    }

    /// Waits up to `seconds` for `condition`; true when it held.
    @discardableResult
    static func waitFor(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(20_000)
        }
        return try condition()
    }

    static func idleState(_ workspace: TestWorkspace) -> MailboxIdleState? {
        try? workspace.pipeline().store.idleState(for: "INBOX")
    }

    /// Polls long (600 s) and sends rarely (600 s): anything quicker came by IDLE and the wake-up.
    static let slowTimers = (imap: "poll_interval = 600", smtp: "send_interval = 600")

    @Test("a mail APPENDed while idling is filed, moved and answered within seconds though poll and send intervals are 600 s; ID was sent on the IDLE connection; status shows it")
    func appendedWhileIdling() throws {
        let imap = try DovecotServer()
        let smtp = try SMTPTestServer()
        let workspace = try TestWorkspace(imap: imap, smtp: smtp, imapExtra: Self.slowTimers.imap, smtpExtra: Self.slowTimers.smtp)
        defer { imap.remove(); smtp.remove(); workspace.remove() }
        let serve = try Serve(workspace, imap)
        #expect(Self.waitFor(30) { imap.idlingProcesses().count == 1 }, "never idled: \(serve.log)")
        let idler = try #require(imap.idlingProcesses().first)

        let appender = try IMAPAppender(port: imap.port, username: imap.username, password: imap.password)
        for index in 1...3 {
            let start = Date()
            try appender.append(PollerTests.message(index))
            #expect(Self.waitFor(15) { smtp.received().count == index }, "no reply to mail \(index): \(serve.log)")
            let seconds = Date().timeIntervalSince(start)
            #expect(seconds < 5, "mail \(index) answered after \(seconds) s")
        }
        appender.logout()
        let replies = smtp.received()
        #expect(replies.map(\.to) == [["dangban1@unit1.example.cn"], ["dangban2@unit2.example.cn"], ["dangban3@unit3.example.cn"]])
        #expect(replies.allSatisfy { String(decoding: $0.data, as: UTF8.self).contains("In-Reply-To: <poll-") })
        #expect(Self.waitFor(5) { imap.count(in: "Processed") == 3 && imap.count(in: "INBOX") == 0 })
        #expect(try workspace.pipeline().count(SubmissionRecord.self) == 3)

        // The same IDLE connection all along, and it identified itself (Dovecot logs ID per process).
        #expect(imap.idlingProcesses() == [idler])
        #expect(imap.log().contains("imap(xcb)<\(idler)>"), "no log line of the IDLE process \(idler)")
        #expect(imap.log().split(separator: "\n").contains { $0.contains("imap(xcb)<\(idler)>") && $0.contains("ID sent: name=tuibao") })

        let status = try workspace.run(["status", "--json"])
        #expect(status.status == 0)
        struct Status: Decodable {
            struct Idle: Decodable { var state: String; var serverOffersIdle: Bool?; var idlingSince: String?; var lastExists: Int?; var lastExistsAt: String?; var reconnects: Int }
            var idle: Idle?
        }
        let idle = try #require(try JSONDecoder().decode(Status.self, from: Data(status.output.utf8)).idle)
        #expect(idle.state == "idling" && idle.serverOffersIdle == true && idle.reconnects == 0)
        #expect(idle.idlingSince != nil && idle.lastExistsAt != nil && idle.lastExists != nil)
        let text = try workspace.run(["status"])
        #expect(text.output.contains("IDLE:       等待新邮件中 (idling) 自 "), "\(text.output)")
        #expect(text.output.contains("重连 0 次"))

        let stop = serve.terminate()
        #expect(stop.clean && stop.status == 0 && stop.seconds < 5, "\(stop) \(serve.log)")
        #expect(Self.idleState(workspace)?.state == .stopped)
    }

    @Test("SIGTERM while idling: exit status 0 within seconds, IDLE ended and logged out, state stopped")
    func sigtermWhileIdling() throws {
        let imap = try DovecotServer()
        let smtp = try SMTPTestServer()
        let workspace = try TestWorkspace(imap: imap, smtp: smtp, imapExtra: Self.slowTimers.imap, smtpExtra: Self.slowTimers.smtp)
        defer { imap.remove(); smtp.remove(); workspace.remove() }
        let serve = try Serve(workspace, imap)
        #expect(Self.waitFor(30) { imap.idlingProcesses().count == 1 }, "never idled: \(serve.log)")
        let idler = try #require(imap.idlingProcesses().first)
        usleep(500_000)
        let stop = serve.terminate()
        #expect(stop.clean && stop.status == 0, "\(serve.log)")
        #expect(stop.seconds < 5, "took \(stop.seconds) s")
        // The IDLE connection said LOGOUT: Dovecot logs "Logged out" for that process.
        #expect(Self.waitFor(5) { imap.log().split(separator: "\n").contains { $0.contains("imap(xcb)<\(idler)>") && $0.contains("Logged out") } },
                "\(imap.log())")
        #expect(Self.idleState(workspace)?.state == .stopped)
    }

    @Test("the IDLE connection kicked by the server (doveadm kick): reconnects with ID, files the mail that came meanwhile, idles again")
    func kickedReconnects() throws {
        let imap = try DovecotServer()
        let smtp = try SMTPTestServer()
        let workspace = try TestWorkspace(imap: imap, smtp: smtp, imapExtra: Self.slowTimers.imap, smtpExtra: Self.slowTimers.smtp)
        defer { imap.remove(); smtp.remove(); workspace.remove() }
        let serve = try Serve(workspace, imap)
        #expect(Self.waitFor(30) { imap.idlingProcesses().count == 1 }, "never idled: \(serve.log)")
        let first = try #require(imap.idlingProcesses().first)

        // Kick every session of the account and put a mail in at once, before any reconnect.
        try imap.doveadm(["kick", imap.username])
        try imap.deliver(PollerTests.message(1), name: "m1")
        #expect(Self.waitFor(30) { smtp.received().count == 1 }, "the mail that came while disconnected was not answered: \(serve.log)")
        #expect(Self.waitFor(15) { imap.idlingProcesses().count == 1 && imap.idlingProcesses() != [first] })
        let second = try #require(imap.idlingProcesses().first)
        #expect(second != first)
        #expect(imap.log().split(separator: "\n").contains { $0.contains("imap(xcb)<\(second)>") && $0.contains("ID sent: name=tuibao") })

        // And it still hears new mail.
        let appender = try IMAPAppender(port: imap.port, username: imap.username, password: imap.password)
        try appender.append(PollerTests.message(2))
        appender.logout()
        #expect(Self.waitFor(15) { smtp.received().count == 2 }, "\(serve.log)")
        #expect(Self.waitFor(5) { imap.count(in: "Processed") == 2 })
        #expect(try workspace.pipeline().count(SubmissionRecord.self) == 2)
        let state = try #require(Self.idleState(workspace))
        #expect(state.state == .idling && state.reconnects == 1)
        #expect(state.lastError?.contains("closed the connection") == true, "\(state.lastError ?? "")")
        let status = try workspace.run(["status"])
        #expect(status.output.contains("重连 1 次") && status.output.contains("最近中断 (last lost)"), "\(status.output)")
        let stop = serve.terminate()
        #expect(stop.clean && stop.status == 0 && stop.seconds < 5)
    }

    @Test("a server that does not offer IDLE: serve polls at poll_interval; status and doctor say so")
    func serverWithoutIdle() throws {
        let imap = try DovecotServer(mode: .plain, offersIdle: false)
        let smtp = try SMTPTestServer()
        let workspace = try TestWorkspace(imap: imap, smtp: smtp, imapExtra: "poll_interval = 2", smtpExtra: Self.slowTimers.smtp)
        defer { imap.remove(); smtp.remove(); workspace.remove() }
        let doctor = try workspace.run(["doctor", "--json"], environment: ["TUIBAO_IMAP_PASSWORD": imap.password])
        #expect(doctor.output.contains(#""check" : "imap-idle""#) || doctor.output.contains(#""check":"imap-idle""#), "\(doctor.output)")
        #expect(doctor.output.contains("服务器不支持 IDLE"))

        let serve = try Serve(workspace, imap)
        #expect(Self.waitFor(30) { Self.idleState(workspace)?.state == .unsupported }, "\(serve.log)")
        try imap.deliver(PollerTests.message(1), name: "m1")
        let start = Date()
        #expect(Self.waitFor(15) { smtp.received().count == 1 }, "\(serve.log)")
        #expect(Date().timeIntervalSince(start) < 6)  // the next poll (2 s) plus the work
        #expect(imap.idlingProcesses().isEmpty)
        #expect(Self.idleState(workspace)?.serverOffersIdle == false)
        let status = try workspace.run(["status"])
        #expect(status.output.contains("服务器不支持 IDLE，定时收取"), "\(status.output)")
        let stop = serve.terminate()
        #expect(stop.clean && stop.status == 0 && stop.seconds < 5, "\(serve.log)")
    }

    @Test("idle = false: no IDLE connection; polling at poll_interval; status says IDLE is off")
    func idleDisabled() throws {
        let imap = try DovecotServer()
        let workspace = try TestWorkspace(imap: imap, imapExtra: "poll_interval = 1\nidle = false")
        defer { imap.remove(); workspace.remove() }
        let serve = try Serve(workspace, imap)
        try imap.deliver(PollerTests.message(1), name: "m1")
        #expect(Self.waitFor(15) { imap.count(in: "Processed") == 1 }, "\(serve.log)")
        #expect(imap.idlingProcesses().isEmpty)
        #expect(Self.idleState(workspace)?.state == .disabled)
        let stop = serve.terminate()
        #expect(stop.clean && stop.status == 0)
    }
}
