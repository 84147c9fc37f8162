import Foundation
import GRDB
import MailTransport
import Store
import TestSupport
import Testing
@testable import Gateway

@Suite("Polling a real Dovecot", .serialized)
struct PollerTests {
    /// One deed from one sender each (a mail with no form from a unit that has a submission open
    /// would be a supplement to it, and these tests count deeds).
    static func message(_ index: Int, subject: String? = nil) -> Data {
        Data("""
        From: =?UTF-8?B?54mp55CG5omA?= <dangban\(index)@unit\(index).example.cn>\r
        To: xcb@cashq.ac.cn\r
        Subject: \(subject ?? "推报材料 第\(index)件")\r
        Message-ID: <poll-\(index)@iphy.ac.cn>\r
        Date: Mon, 14 May 2018 09:31:02 +0800\r
        MIME-Version: 1.0\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        第 \(index) 件推报材料。\r

        """.utf8)
    }

    func poller(_ workspace: TestWorkspace, _ server: DovecotServer) throws -> MailboxPoller {
        try MailboxPoller(pipeline: workspace.pipeline(), password: server.password)
    }

    @Test("200 messages: each filed exactly once and moved to Processed")
    func twoHundred() throws {
        let server = try DovecotServer()
        let workspace = try TestWorkspace(imap: server)
        defer { server.remove(); workspace.remove() }
        for index in 1...200 { try server.deliver(Self.message(index), name: "m\(index)") }
        let report = try poller(workspace, server).pollOnce()
        #expect(report.found == 200 && report.filed == 200)
        #expect(server.count(in: "INBOX") == 0)
        #expect(server.count(in: "Processed") == 200)
        let pipeline = try workspace.pipeline()
        #expect(try pipeline.count(SubmissionRecord.self) == 200)
        #expect(try pipeline.count(ReplyRecord.self) == 200)
        // Nothing new: a second poll finds nothing.
        #expect(try poller(workspace, server).pollOnce().found == 0)
    }

    @Test("kill -9 at random points of a 200-message run, 20 times, then a clean run: every message filed once")
    func killNine() throws {
        let server = try DovecotServer()
        // Every kill here is of the whole service: none counts against the message in hand (it
        // is an interruption, with a limit of 10), so the usual limit of 3 attempts holds.
        let workspace = try TestWorkspace(imap: server)
        defer { server.remove(); workspace.remove() }
        for index in 1...200 { try server.deliver(Self.message(index), name: "m\(index)") }
        let environment = ["TUIBAO_IMAP_PASSWORD": server.password]
        var generator = SystemRandomNumberGenerator()
        // A kill "interrupted work" when the process was still running (died of SIGKILL), had
        // filed at least one message during its run, and left some of the inbox unfiled.
        var interrupted = 0
        var filedSoFar = 0
        var log: [String] = []
        for _ in 0..<20 {
            let process = Process()
            process.executableURL = TestWorkspace.binary
            process.arguments = ["poll", "--once", "--config", workspace.configFile.path]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Kill while work is in flight, however fast this machine starts a run: wait until
            // the run has filed something, then kill it a moment later, mid-stream.
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning, try Self.filedCount(workspace) <= filedSoFar, Date() < deadline { usleep(2_000) }
            usleep(UInt32.random(in: 0...60_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let killed = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
            let filed = try Self.filedCount(workspace)
            let inbox = server.count(in: "INBOX")
            if killed && filed > filedSoFar && filed < 200 && inbox > 0 { interrupted += 1 }
            log.append("\(killed ? "killed" : "exited \(process.terminationStatus)"): filed \(filedSoFar)→\(filed), inbox \(inbox)")
            filedSoFar = filed
        }
        print("poll kills: " + log.joined(separator: "; "))
        // Every kill lands after the run began filing; only a run that emptied the inbox before
        // its kill does not count (at the very end). Most of the 20 must have cut filing short.
        #expect(interrupted >= 15, "only \(interrupted) of 20 kills interrupted filing: \(log)")
        var rounds = 0
        while server.count(in: "INBOX") > 0 && rounds < 5 {
            let result = try workspace.run(["poll", "--once"], environment: environment)
            #expect(result.status == 0, "\(result.error)")
            rounds += 1
        }
        #expect(server.count(in: "INBOX") == 0)
        #expect(server.count(in: "Processed") == 200)
        #expect(server.count(in: "Failed") == 0)
        let pipeline = try workspace.pipeline()
        #expect(try pipeline.count(SubmissionRecord.self) == 200)
        #expect(try pipeline.count(MessageRecord.self) == 200)
        #expect(try pipeline.count(ReplyRecord.self) == 200)
        let distinctIds = try pipeline.store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT messageId) FROM message WHERE status = 'filed'")
        }
        #expect(distinctIds == 200)
    }

    /// Messages filed so far, read straight from the database file (no pipeline: that would write).
    static func filedCount(_ workspace: TestWorkspace) throws -> Int {
        let database = workspace.directory.appendingPathComponent("data/tuibao.sqlite")
        guard FileManager.default.fileExists(atPath: database.path) else { return 0 }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        // A run killed (or still busy) in its first migration leaves no table yet: nothing filed.
        return (try? DatabaseQueue(path: database.path, configuration: configuration).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message WHERE status = 'filed'") ?? 0
        }) ?? 0
    }

    @Test("Dovecot down mid-run, then back; the mailbox recreated with a new UIDVALIDITY: nothing doubled")
    func restartAndUIDValidity() throws {
        let server = try DovecotServer()
        let workspace = try TestWorkspace(imap: server)
        defer { server.remove(); workspace.remove() }
        for index in 1...5 { try server.deliver(Self.message(index), name: "m\(index)") }
        let client = try IMAPClient(settings: poller(workspace, server).server)
        let first = try poller(workspace, server).pollOnce(client: client)
        #expect(first.filed == 5)
        let validity = try #require(first.uidValidity)

        for index in 6...8 { try server.deliver(Self.message(index), name: "m\(index)") }
        server.stop()
        usleep(500_000)  // let the last imap process go with its connection
        #expect(throws: TransportError.self) { try poller(workspace, server).pollOnce() }
        #expect(try workspace.pipeline().store.checkpoint(for: "INBOX").lastError != nil)
        try server.start()
        let second = try poller(workspace, server).pollOnce(client: client)
        #expect(second.filed == 3)
        #expect(client.identifications >= 2)  // ID again on the new connection

        // The same messages again in a recreated inbox (new UIDVALIDITY): a rescan, all repeats.
        try server.resetUIDValidity()
        for index in 1...8 { try server.deliver(Self.message(index), name: "again\(index)") }
        let third = try poller(workspace, server).pollOnce()
        #expect(third.uidValidity != validity)
        #expect(third.found == 8)
        #expect(third.repeated + third.ignored == 8)
        #expect(third.filed == 0)
        #expect(try workspace.pipeline().count(SubmissionRecord.self) == 8)
        #expect(server.count(in: "INBOX") == 0)
    }

    @Test("a poison message that kills its parser goes to Failed after 3 attempts; the others are filed, the service lives")
    func poison() throws {
        let server = try DovecotServer()
        let workspace = try TestWorkspace(imap: server)
        defer { server.remove(); workspace.remove() }
        for index in 1...5 {
            try server.deliver(Self.message(index, subject: index == 2 ? "POISON 推报" : nil), name: "m\(index)")
        }
        let environment = ["TUIBAO_IMAP_PASSWORD": server.password, "TUIBAO_FAULT_SUBJECT": "POISON"]
        var statuses: [Int32] = []
        var inbox: [Int] = []
        for _ in 0..<6 where server.count(in: "INBOX") > 0 {
            statuses.append(try workspace.run(["poll", "--once"], environment: environment).status)
            inbox.append(server.count(in: "INBOX"))
        }
        // The parser child dies on it each time; the poll goes on with the others and exits 0.
        #expect(statuses == [0, 0, 0, 0])
        #expect(inbox == [1, 1, 1, 0])
        #expect(server.count(in: "Failed") == 1)
        #expect(server.count(in: "Processed") == 4)
        let pipeline = try workspace.pipeline()
        #expect(try pipeline.count(SubmissionRecord.self) == 4)
        let validity = try #require(try pipeline.store.checkpoint(for: "INBOX").uidValidity)
        let state = try pipeline.store.attempts(mailbox: "INBOX", uidValidity: UInt64(validity), uid: 2)
        #expect(state.attempts == 3 && state.interruptions == 0)
        #expect(state.lastError == "解析邮件的进程失败：检查进程异常退出（状态 86）")
        // Its raw message is kept, still to be looked at (`tuibao reprocess`).
        let rows = try pipeline.store.database.read { db in try MessageRecord.fetchAll(db) }
        #expect(rows.filter { $0.status == .received }.map(\.attempts) == [3])
    }

    @Test("a service killed while holding a message: an interruption, not an attempt")
    func interruptions() throws {
        let server = try DovecotServer()
        let workspace = try TestWorkspace(imap: server)
        defer { server.remove(); workspace.remove() }
        let store = try workspace.pipeline().store
        #expect(try store.beginAttempt(mailbox: "INBOX", uidValidity: 7, uid: 1) == MessageAttempts(attempts: 0, interruptions: 0))
        // Killed: never ended. The next pass finds it still in hand.
        #expect(try store.beginAttempt(mailbox: "INBOX", uidValidity: 7, uid: 1) == MessageAttempts(attempts: 0, interruptions: 1))
        try store.endAttempt(mailbox: "INBOX", uidValidity: 7, uid: 1, died: "检查进程异常退出")
        #expect(try store.beginAttempt(mailbox: "INBOX", uidValidity: 7, uid: 1)
                == MessageAttempts(attempts: 1, interruptions: 1, lastError: "检查进程异常退出"))
        try store.endAttempt(mailbox: "INBOX", uidValidity: 7, uid: 1)
        #expect(try store.attempts(mailbox: "INBOX", uidValidity: 7, uid: 1).interruptions == 1)
        #expect(try poller(workspace, server).interruptionLimit == 10)
    }

    @Test("plain IMAP is refused unless insecure = true; a wrong password names server and account only")
    func configurationAndPassword() throws {
        let server = try DovecotServer()
        let workspace = try TestWorkspace(imap: server)
        defer { server.remove(); workspace.remove() }
        let text = try String(contentsOf: workspace.configFile, encoding: .utf8)
        try text.replacingOccurrences(of: "insecure = true", with: "").write(to: workspace.configFile, atomically: true, encoding: .utf8)
        let refused = try workspace.run(["poll", "--once"], environment: ["TUIBAO_IMAP_PASSWORD": server.password])
        #expect(refused.status != 0)
        #expect(refused.error.contains("insecure = true"))
        try text.write(to: workspace.configFile, atomically: true, encoding: .utf8)
        let wrong = try workspace.run(["poll", "--once"], environment: ["TUIBAO_IMAP_PASSWORD": "bad-秘密-999"])
        #expect(wrong.status != 0)
        #expect(wrong.error.contains("xcb@127.0.0.1:\(server.port)"))
        #expect(!wrong.error.contains("bad-秘密-999") && !wrong.output.contains("bad-秘密-999"))
        let missing = try workspace.run(["poll", "--once"])
        #expect(missing.status != 0)
        #expect(missing.error.contains("TUIBAO_IMAP_PASSWORD"))
    }
}
