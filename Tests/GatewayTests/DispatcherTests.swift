import Foundation
import GRDB
import MIME
import MailTransport
import Store
import TestSupport
import Testing
@testable import Gateway

@Suite("Sending replies through a real SMTP server", .serialized)
struct DispatcherTests {
    func dispatcher(_ workspace: TestWorkspace, password: String = "") throws -> ReplyDispatcher {
        let pipeline = try workspace.pipeline()
        return try ReplyDispatcher(store: pipeline.store, configuration: pipeline.configuration, password: password)
    }

    func parse(_ data: Data) throws -> ParsedMessage {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("received-\(UUID().uuidString).eml")
        defer { try? FileManager.default.removeItem(at: file) }
        try data.write(to: file)
        return try MessageParser().parse(fileAt: file.path)
    }

    @Test("the received bytes parse back to exactly the reply in the outbox; STARTTLS with AUTH")
    func delivered() throws {
        let smtp = try SMTPTestServer(tls: true, auth: ("xcb", "smtp-口令"))
        let workspace = try TestWorkspace(smtp: smtp)
        defer { smtp.remove(); workspace.remove() }
        let outcome = try workspace.pipeline().ingest(fileAt: TestWorkspace.sample("01-foxmail-iphy"))
        let report = try dispatcher(workspace, password: "smtp-口令").sendDue()
        #expect(report.sent == 1)
        let received = smtp.received()
        #expect(received.count == 1)
        let message = try #require(received.first)
        #expect(message.tls)
        #expect(message.from == "xcb@cashq.ac.cn")
        let reply = try #require(try workspace.pipeline().store.database.read { db in try ReplyRecord.fetchOne(db, key: outcome.replyId!) })
        #expect(message.to == [reply.recipient])
        let parsed = try parse(message.data)
        #expect(parsed.headers.subject == reply.subject)
        #expect(parsed.headers.from.first?.name == "中国科学院党的建设工作领导小组办公室")
        #expect(parsed.headers.to.map(\.address) == [reply.recipient])
        #expect(parsed.headers.messageId == reply.headerMessageId)
        #expect(parsed.headers.inReplyTo == outcome.parsed?.headers.messageId)
        #expect(parsed.headers.autoSubmitted == "auto-replied")
        #expect(parsed.headers.xLoop == ["xcb@cashq.ac.cn"])
        #expect(parsed.bodyText == reply.body)
        #expect(reply.status == .sent)
    }

    @Test("451 twice, then accepted: one delivery after backoff")
    func temporaryFailures() throws {
        let smtp = try SMTPTestServer(plan: [451, 451])
        let workspace = try TestWorkspace(smtp: smtp)
        defer { smtp.remove(); workspace.remove() }
        _ = try workspace.pipeline().ingest(fileAt: TestWorkspace.sample("04-coremail-lzb"))
        let start = Date()
        let first = try dispatcher(workspace).sendDue(now: start)
        #expect(first.deferred == 1)
        #expect(try dispatcher(workspace).sendDue(now: start.addingTimeInterval(10)).sent == 0)  // not due yet
        #expect(try dispatcher(workspace).sendDue(now: start.addingTimeInterval(3600)).deferred == 1)
        #expect(try dispatcher(workspace).sendDue(now: start.addingTimeInterval(7200)).sent == 1)
        #expect(smtp.dataAttempts == 3)
        #expect(smtp.received().count == 1)
        #expect(try dispatcher(workspace).sendDue(now: start.addingTimeInterval(99_999)) == DispatchReport())
    }

    @Test("550: failed with the server's text, no retry storm; resend queues it again")
    func permanentFailure() throws {
        let smtp = try SMTPTestServer(plan: [550], repeatPlan: true)
        let workspace = try TestWorkspace(smtp: smtp)
        defer { smtp.remove(); workspace.remove() }
        _ = try workspace.pipeline().ingest(fileAt: TestWorkspace.sample("04-coremail-lzb"))
        #expect(try dispatcher(workspace).sendDue().failed == 1)
        #expect(try dispatcher(workspace).sendDue(now: Date().addingTimeInterval(99_999)) == DispatchReport())
        #expect(smtp.dataAttempts == 1)
        let failed = try workspace.run(["outbox", "--failed"])
        #expect(failed.output.contains("发送失败") && !failed.output.contains("failed"))
        let reply = try #require(try workspace.pipeline().store.replies(status: .failed).first)
        #expect(reply.lastError?.contains("550") == true)
        #expect(try workspace.run(["resend", "\(reply.id!)"]).status == 0)
        #expect(try workspace.pipeline().store.replies(status: .queued).count == 1)
    }

    @Test("resend of a sent reply: refused unless --again, then sent once more under a new Message-ID")
    func resendAgain() throws {
        let smtp = try SMTPTestServer()
        let workspace = try TestWorkspace(smtp: smtp)
        defer { smtp.remove(); workspace.remove() }
        _ = try workspace.pipeline().ingest(fileAt: TestWorkspace.sample("04-coremail-lzb"))
        #expect(try dispatcher(workspace).sendDue().sent == 1)
        let sent = try #require(try workspace.pipeline().store.replies(status: .sent).first)
        let refused = try workspace.run(["resend", "\(sent.id!)"])
        #expect(refused.status == 1)
        #expect(refused.error == "错误：回复 \(sent.id!) 已发送；确需再发一次请加 --again (already sent: add --again to send it once more)\n")
        let again = try workspace.run(["resend", "\(sent.id!)", "--again", "--by", "liuyi"])
        #expect(again.status == 0 && again.output == "回复 \(sent.id!) 已重新放入待发队列。\n")
        #expect(try dispatcher(workspace).sendDue().sent == 1)
        let received = smtp.received()
        #expect(received.count == 2)
        let first = try parse(received[0].data), second = try parse(received[1].data)
        #expect(first.headers.subject == second.headers.subject)
        #expect(first.headers.messageId == sent.headerMessageId)
        #expect(second.headers.messageId != first.headers.messageId && second.headers.messageId?.hasPrefix(sent.headerMessageId.split(separator: "@")[0] + ".again") == true)
        let show = try workspace.run(["show", "YS2018-0001"]).output
        #expect(show.contains("liuyi  reply.requeued  再次发送已发出的回复"))
    }

    @Test("no reply is queued or sent for auto-replies, bounces, list mail and our own mail")
    func neverHarm() throws {
        let smtp = try SMTPTestServer()
        let workspace = try TestWorkspace(smtp: smtp)
        defer { smtp.remove(); workspace.remove() }
        let pipeline = try workspace.pipeline()
        _ = try pipeline.ingest(fileAt: TestWorkspace.sample("16-autoreply-iphy"))
        _ = try pipeline.ingest(fileAt: TestWorkspace.sample("20-postfix-bounce"))
        _ = try pipeline.ingest(fileAt: workspace.message("list.eml", headers: ["From: a@iphy.ac.cn", "List-Id: <x.iphy.ac.cn>", "Subject: 简报"]))
        _ = try pipeline.ingest(fileAt: workspace.message("own.eml", headers: ["From: xcb@cashq.ac.cn", "Subject: 通知"]))
        #expect(try dispatcher(workspace).sendDue() == DispatchReport())
        #expect(smtp.received().isEmpty)
    }

    @Test("kill -9 during a batch, then send again: every reply delivered, at most one duplicate")
    func crashDuringBatch() throws {
        // The server holds each message 0.3 s before answering 250. Without that the whole batch
        // is sent before the test can react, and the kill lands on a process that already exited.
        let smtp = try SMTPTestServer(acceptDelay: 0.3)
        let workspace = try TestWorkspace(smtp: smtp)
        defer { smtp.remove(); workspace.remove() }
        let samples = ["01-foxmail-iphy", "02-outlook2016-simm", "04-coremail-lzb", "06-wps-rfc2231-gbk", "07-applemail-video-nao",
                       "09-raw8bit-gb18030-ihep", "11-big5-siat", "13-pegasus-uuencode-pmo"]
        #expect(try workspace.run(["ingest"] + samples.map { TestWorkspace.sample($0).path }).status == 0)
        let process = Process()
        process.executableURL = TestWorkspace.binary
        process.arguments = ["send", "--once", "--config", workspace.configFile.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<400 where smtp.received().count < 3 { usleep(5_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // The kill landed mid-batch: the process died of SIGKILL (it had not exited on its own)
        // while the server held the third reply but had not yet answered 250 for it, so that
        // reply and the five after it are still queued.
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
        let sentBeforeKill = try smtp.received().map { try parse($0.data).headers.messageId ?? "" }
        #expect(sentBeforeKill.count == 3)
        #expect(try workspace.pipeline().store.replies(status: .queued).count == samples.count - 2)

        #expect(try workspace.run(["send", "--once"]).status == 0)
        let ids = try smtp.received().map { try parse($0.data).headers.messageId ?? "" }
        #expect(Set(ids).count == samples.count)
        // Exactly one duplicate, the documented one: the reply in flight at the kill (the server
        // had it, the sender never heard so), sent again first on the retry.
        #expect(ids.count == samples.count + 1)
        #expect(Array(ids.prefix(3)) == sentBeforeKill)
        #expect(ids[3] == sentBeforeKill[2])
        #expect(try workspace.pipeline().store.replies(status: .queued).isEmpty)
        #expect(try workspace.pipeline().store.replies(status: .sent).count == samples.count)
    }
}

@Suite("Reply limits and preview", .serialized)
struct ReplyLimitTests {
    /// Mail `index` from one address, each a deed of its own: a text 推报表 naming nominee `index`
    /// (without a form, a second mail from the unit would be a supplement to the first).
    func mail(_ workspace: TestWorkspace, _ index: Int, subject: String? = nil, inReplyTo: String? = nil) throws -> URL {
        let form = ["推报单位", "中国科学院物理研究所", "推报类型", "个人", "姓名", "候选人\(index)号", "事迹标题", "第\(index)件事迹",
                    "联系人", "刘老师", "联系电话", "010-82649000"].joined(separator: "\n")
        let url = workspace.directory.appendingPathComponent("m\(index).eml")
        try ([
            "From: 物理所 <dangban@iphy.ac.cn>", "To: xcb@cashq.ac.cn",
            "Subject: \(subject ?? "推报材料 \(index)")", "Message-ID: <limit-\(index)@iphy.ac.cn>",
            "Date: Mon, 14 May 2018 09:3\(index):00 +0800",
        ] + (inReplyTo.map { ["In-Reply-To: <\($0)>"] } ?? []) + [
            "MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"b\"", "", "--b",
            "Content-Type: text/plain; charset=utf-8", "", "第 \(index) 件推报材料。", "--b",
            "Content-Type: text/plain; charset=utf-8", "Content-Disposition: attachment; filename=\"=?UTF-8?B?\(Data("推报表.txt".utf8).base64EncodedString())?=\"",
            "Content-Transfer-Encoding: base64", "", Data(form.utf8).base64EncodedString(), "--b--", "",
        ]).joined(separator: "\r\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("per-sender limit: the third reply within the hour is suppressed and logged; resend sends it on staff's word")
    func rateLimit() throws {
        let smtp = try SMTPTestServer()
        let workspace = try TestWorkspace(smtp: smtp, extra: "[replies]\nmax_per_sender = 2\nper_minutes = 60\n")
        defer { smtp.remove(); workspace.remove() }
        let pipeline = try workspace.pipeline()
        let start = Date()
        var outcomes: [IntakeOutcome] = []
        for index in 1...3 {
            outcomes.append(try pipeline.ingest(fileAt: mail(workspace, index), now: start.addingTimeInterval(Double(index) * 60)))
        }
        let third = try #require(try pipeline.store.database.read { db in try ReplyRecord.fetchOne(db, key: outcomes[2].replyId!) })
        #expect(third.status == .suppressed)
        #expect(third.lastError == "同一地址 60 分钟内已有 2 封自动回复，本封不发送（防止邮件循环）(rate limit)")
        let events = try pipeline.store.database.read { db in
            try EventRecord.filter(Column("kind") == "reply.suppressed").fetchAll(db)
        }
        #expect(events.count == 1)
        #expect(events.first?.detail.contains("dangban@iphy.ac.cn 未发送") == true)
        #expect(events.first?.detail.contains("tuibao resend \(third.id!)") == true)
        let listed = try workspace.run(["outbox", "--suppressed"])
        #expect(listed.output.contains("(rate limit)"))

        let dispatcher = try ReplyDispatcher(store: pipeline.store, configuration: pipeline.configuration, password: "")
        #expect(try dispatcher.sendDue().sent == 2)
        #expect(smtp.received().count == 2)
        #expect(try workspace.run(["resend", "\(third.id!)"]).status == 0)
        #expect(try dispatcher.sendDue().sent == 1)
        #expect(smtp.received().count == 3)
        // An hour later the sender is answered again.
        let later = try pipeline.ingest(fileAt: mail(workspace, 4), now: start.addingTimeInterval(3 * 3600))
        #expect(try pipeline.store.database.read { db in try ReplyRecord.fetchOne(db, key: later.replyId!) }?.status == .queued)
    }

    @Test("the identical reply twice within a day: the second is suppressed, naming the first")
    func identicalReply() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let now = Date()
        let first = try pipeline.ingest(fileAt: mail(workspace, 1), now: now)
        let tracking = try #require(first.trackingNumber)
        let firstReply = try #require(first.replyId)
        // The same text again as a reply to our receipt: a new version with the same (no) files and problems.
        let again = try pipeline.ingest(fileAt: mail(workspace, 2, subject: "回复：【\(tracking)】受理回执"), now: now.addingTimeInterval(600))
        #expect(again.versionNumber == 2)
        let reply = try #require(try pipeline.store.database.read { db in try ReplyRecord.fetchOne(db, key: again.replyId!) })
        #expect(reply.status == .suppressed)
        #expect(reply.lastError == "与第 \(firstReply) 号回复内容相同，24 小时内不重复发送 (identical reply)")
    }

    @Test("reply preview: the readable view, and --raw gives exactly the bytes the SMTP server receives")
    func preview() throws {
        let smtp = try SMTPTestServer()
        let workspace = try TestWorkspace(smtp: smtp)
        defer { smtp.remove(); workspace.remove() }
        let outcome = try workspace.pipeline().ingest(fileAt: TestWorkspace.sample("01-foxmail-iphy"))
        let tracking = try #require(outcome.trackingNumber)
        let view = try workspace.run(["reply", "preview", tracking])
        #expect(view.status == 0, "\(view.error)")
        let lines = view.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "回复 \(outcome.replyId!)（correct，待发）")
        #expect(lines.contains("发件人: 中国科学院党的建设工作领导小组办公室 <xcb@cashq.ac.cn>"))
        #expect(lines.contains("主题:   【\(tracking)】请补正材料：【一所一人一事】物理研究所推报材料（韩思远）"))
        #expect(lines.contains("Auto-Submitted: auto-replied"))
        #expect(lines.contains("  1. 图片“韩思远在实验室调试仪器.jpg”为 34 KB，小于 1 MB。请发送未经压缩的原图。"))
        let raw = try workspace.run(["reply", "preview", "\(outcome.replyId!)", "--raw"])
        let dispatcher = try ReplyDispatcher(store: workspace.pipeline().store, configuration: workspace.pipeline().configuration, password: "")
        #expect(try dispatcher.sendDue().sent == 1)
        let received = try #require(smtp.received().first)
        #expect(received.data == Data(raw.output.utf8))
        #expect(try workspace.run(["reply", "preview", "999"]).error.contains("没有编号为 999 的回复"))
    }
}
