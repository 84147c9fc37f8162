import Foundation
import GRDB
import Intake
@testable import Store
import TestSupport
import Testing
@testable import Gateway

@Suite("Intake pipeline through ingest")
struct IntakePipelineTests {
    @Test("a nomination, then the identical message again: one submission, the repeat changes nothing")
    func identicalTwice() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let first = try pipeline.ingest(fileAt: TestWorkspace.sample("01-foxmail-iphy"))
        #expect(first.status == .filed)
        #expect(first.action == .correct)  // its 34 KB photo is under 1 MiB; form and essay are fine
        #expect(first.problems.map(\.code) == [.imageTooSmall])
        #expect(first.trackingNumber == "YS2018-0001")
        #expect(first.versionNumber == 1)
        let again = try pipeline.ingest(fileAt: TestWorkspace.sample("01-foxmail-iphy"))
        #expect(again.alreadyProcessed)
        #expect(again.trackingNumber == "YS2018-0001")
        #expect(try pipeline.count(SubmissionRecord.self) == 1)
        #expect(try pipeline.count(MessageRecord.self) == 1)
        #expect(try pipeline.count(ReplyRecord.self) == 1)
        #expect(try pipeline.count(EventRecord.self, Column("kind") == "message.repeat") == 1)
    }

    @Test("the same Message-ID with other bytes (a resend through another relay) is a repeat delivery")
    func sameMessageId() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let headers = ["From: 物理所 <dangban@iphy.ac.cn>", "To: xcb@cashq.ac.cn", "Subject: 推报材料",
                       "Message-ID: <same@iphy.ac.cn>", "Date: Mon, 14 May 2018 09:31:02 +0800"]
        _ = try pipeline.ingest(fileAt: workspace.message("a.eml", headers: headers))
        let second = try pipeline.ingest(fileAt: workspace.message("b.eml", headers: ["Received: by relay2"] + headers))
        #expect(second.status == .ignored)
        #expect(second.reason == IgnoreReason.repeatDelivery.rawValue)
        #expect(try pipeline.count(SubmissionRecord.self) == 1)
        #expect(try pipeline.count(ReplyRecord.self) == 1)
    }

    @Test("a reply naming the tracking number becomes version 2; earlier files carry over unless replaced")
    func replyByTrackingNumber() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let first = try pipeline.ingest(fileAt: TestWorkspace.sample("01-foxmail-iphy"))
        let firstFiles = first.parsed?.attachments.count ?? 0
        #expect(firstFiles == 3)
        let reply = try workspace.message("reply.eml", headers: [
            "From: 物理所 <dangban@iphy.ac.cn>", "To: xcb@cashq.ac.cn",
            "Subject: 回复：【YS2018-0001】受理回执：补充说明", "Message-ID: <r1@iphy.ac.cn>",
            "Date: Tue, 15 May 2018 10:00:00 +0800"])
        let second = try pipeline.ingest(fileAt: reply)
        #expect(second.trackingNumber == "YS2018-0001")
        #expect(second.versionNumber == 2)
        #expect(second.submissionId == first.submissionId)
        #expect(try pipeline.count(SubmissionRecord.self) == 1)
        let files = try pipeline.store.database.read { db -> [FileRecord] in
            guard let v2 = try VersionRecord.filter(Column("number") == 2).fetchOne(db) else { return [] }
            return try FileRecord.filter(Column("versionId") == v2.id!).fetchAll(db)
        }
        #expect(files.count == firstFiles)
        #expect(files.allSatisfy { $0.carriedFromVersionId != nil })
    }

    @Test("a reply found by In-Reply-To our reply's Message-ID, with a subject that lost the number")
    func replyByReference() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let first = try pipeline.ingest(fileAt: TestWorkspace.sample("04-coremail-lzb"))
        let ourId = try pipeline.store.database.read { db in try ReplyRecord.fetchOne(db, key: first.replyId!)!.headerMessageId }
        let second = try pipeline.ingest(fileAt: workspace.message("r.eml", headers: [
            "From: lzb@lzb.ac.cn", "To: xcb@cashq.ac.cn", "Subject: 补充材料", "Message-ID: <r2@lzb.ac.cn>",
            "In-Reply-To: <\(ourId)>", "References: <x@lzb.ac.cn> <\(ourId)>"]))
        #expect(second.submissionId == first.submissionId)
        #expect(second.versionNumber == 2)
    }

    @Test("auto-replies, bounces, list mail and our own mail are ignored with a reason, without a reply",
          arguments: [
            (["From: a@iphy.ac.cn", "Auto-Submitted: auto-replied", "Subject: 自动回复"], IgnoreReason.autoReply),
            (["From: MAILER-DAEMON@iphy.ac.cn", "Return-Path: <>", "Subject: Undelivered"], .bounce),
            (["From: news@iphy.ac.cn", "List-Id: <news.iphy.ac.cn>", "Subject: 简报"], .mailingList),
            (["From: 党建办 <xcb@cashq.ac.cn>", "Subject: 通知"], .ownAddress),
            (["From: a@iphy.ac.cn", "X-Loop: xcb@cashq.ac.cn", "Subject: 转发"], .loop),
          ])
    func ignored(_ headers: [String], _ reason: IgnoreReason) throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let outcome = try pipeline.ingest(fileAt: workspace.message("m.eml", headers: headers + ["To: xcb@cashq.ac.cn"]))
        #expect(outcome.status == .ignored)
        #expect(outcome.action == .ignore)
        #expect(outcome.reason == reason.rawValue)
        #expect(try pipeline.count(SubmissionRecord.self) == 0)
        #expect(try pipeline.count(ReplyRecord.self) == 0)
        #expect(try pipeline.count(EventRecord.self, Column("kind") == "message.ignored") == 1)
    }

    @Test("the Samples' bounce and auto-reply are ignored as such")
    func sampleBounce() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        #expect(try pipeline.ingest(fileAt: TestWorkspace.sample("20-postfix-bounce")).reason == "bounce")
        #expect(try pipeline.ingest(fileAt: TestWorkspace.sample("16-autoreply-iphy")).reason == "auto-reply")
    }

    @Test("an unparseable file is kept and recorded as failed; the others are still filed")
    func unparseable() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let broken = workspace.directory.appendingPathComponent("broken.eml")
        try Data("这不是一封邮件\n没有邮件头".utf8).write(to: broken)
        let failed = try pipeline.ingest(fileAt: broken)
        let filed = try pipeline.ingest(fileAt: TestWorkspace.sample("02-outlook2016-simm"))
        #expect(failed.status == .failed)
        #expect(failed.reason?.contains("not a mail message") == true)
        #expect(filed.status == .filed)
        let raw = pipeline.store.spool.path(forSHA256: failed.sha256)
        #expect(try Data(contentsOf: raw) == Data(contentsOf: broken))
        // The raw message is kept: after a fix, reprocess runs it again (and fails the same way here).
        let again = try pipeline.reprocess(messageRowId: failed.messageRowId)
        #expect(again.status == .failed)
    }

    @Test("attachments land in the content-addressed store with their bytes")
    func fileStore() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let outcome = try pipeline.ingest(fileAt: TestWorkspace.sample("19-hostile-filenames"))
        for attachment in outcome.parsed?.attachments ?? [] {
            let path = pipeline.store.files.path(forSHA256: attachment.sha256)
            #expect(path.path.hasPrefix(workspace.directory.appendingPathComponent("data/files/").path))
            #expect(path.lastPathComponent == attachment.sha256)
            let size = try FileManager.default.attributesOfItem(atPath: path.path)[.size] as? Int64
            #expect(size == attachment.size)
        }
    }

    @Test("the reply: deterministic Message-ID, In-Reply-To, References, RFC 3834 recipient, Chinese text naming every file")
    func replyRow() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let outcome = try pipeline.ingest(fileAt: TestWorkspace.sample("01-foxmail-iphy"))
        let reply = try #require(try pipeline.store.database.read { db in try ReplyRecord.fetchOne(db, key: outcome.replyId!) })
        let parsed = try #require(outcome.parsed)
        #expect(reply.headerMessageId == "tuibao-\(outcome.sha256.prefix(24))@cashq.ac.cn")
        #expect(reply.inReplyTo == parsed.headers.messageId)
        #expect(reply.referencesList.hasSuffix(parsed.headers.messageId!))
        #expect(reply.recipient == (parsed.headers.replyTo.first ?? parsed.headers.from.first)?.address)
        #expect(reply.subject == "【YS2018-0001】请补正材料：【一所一人一事】物理研究所推报材料（韩思远）")
        #expect(reply.body.contains("（受理编号：YS2018-0001）"))
        #expect(reply.body.contains("  1. 图片“韩思远在实验室调试仪器.jpg”为 34 KB，小于 1 MB。请发送未经压缩的原图。\n"))
        for attachment in parsed.attachments { #expect(reply.body.contains(attachment.filename!)) }
        #expect(reply.status == .queued)
    }

    @Test("a CR LF hidden in a subject never reaches the reply subject")
    func headerInjection() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let outcome = try pipeline.ingest(fileAt: workspace.message("inj.eml", headers: [
            "From: a@iphy.ac.cn", "To: xcb@cashq.ac.cn",
            "Subject: =?UTF-8?B?\(Data("推报\r\nBcc: all@cashq.ac.cn".utf8).base64EncodedString())?="]))
        let reply = try #require(try pipeline.store.database.read { db in try ReplyRecord.fetchOne(db, key: outcome.replyId!) })
        #expect(!reply.subject.contains("\r") && !reply.subject.contains("\n"))
        #expect(reply.subject == "【YS2018-0001】请补正材料：推报 Bcc: all@cashq.ac.cn")
    }

    @Test("a display name carrying CR LF and Bcc: is one line in the reply's greeting")
    func greetingInjection() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let name = Data("韩老师\r\nBcc: all@cashq.ac.cn".utf8).base64EncodedString()
        let outcome = try pipeline.ingest(fileAt: workspace.message("name.eml", headers: [
            "From: =?UTF-8?B?\(name)?= <a@iphy.ac.cn>", "To: xcb@cashq.ac.cn", "Subject: 推报材料"]))
        let reply = try #require(try pipeline.store.database.read { db in try ReplyRecord.fetchOne(db, key: outcome.replyId!) })
        let greeting = try #require(reply.body.split(separator: "\n").first)
        #expect(greeting == "韩老师 Bcc: all@cashq.ac.cn：")
        #expect(!reply.body.contains("\r") && !reply.body.contains("\nBcc:"))
    }

    @Test("the event log is append-only")
    func appendOnlyEvents() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        _ = try pipeline.ingest(fileAt: TestWorkspace.sample("01-foxmail-iphy"))
        #expect(throws: DatabaseError.self) {
            try pipeline.store.database.write { db in try db.execute(sql: "UPDATE event SET detail = 'x'") }
        }
        #expect(throws: DatabaseError.self) {
            try pipeline.store.database.write { db in try db.execute(sql: "DELETE FROM event") }
        }
        #expect(try pipeline.store.appliedMigrations() == ["v1-intake", "v2-poller", "v3-dispatch", "v4-reply-throttle", "v5-materials", "v6-earlier-campaigns", "v7-deeds", "v8-attempts", "v9-idle", "v10-search", "v11-published", "v12-covering-keys", "v13-review", "v14-review-mail"])
        let units = try pipeline.store.database.read { db in try UnitRecord.fetchAll(db) }
        #expect(units.count == pipeline.configuration.units.units.count)
        #expect(units.first { $0.name == "中国科学院物理研究所" }?.domains == ["iphy.ac.cn"])
    }
}

@Suite("Migrations")
struct MigrationTests {
    @Test("v4 rebuilds the reply table: a database made before it keeps its replies, and suppressed becomes a valid status")
    func replyTableRebuild() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let data = workspace.directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let old = try DatabaseQueue(path: data.appendingPathComponent("tuibao.sqlite").path)
        try Migrations.migrator.migrate(old, upTo: "v3-dispatch")
        try old.write { db in
            try db.execute(sql: "INSERT INTO message (id, sha256, rawPath, size, receivedAt, source, status) VALUES (1, '\(String(repeating: "a", count: 64))', 'spool/x.eml', 1, '2018-05-14 09:00:00', 'test', 'received')")
            try db.execute(sql: """
                INSERT INTO reply (id, messageRowId, kind, recipient, subject, body, headerMessageId, status, createdAt, nextAttemptAt)
                VALUES (7, 1, 'acknowledge', 'dangban@iphy.ac.cn', '【YS2018-0001】受理回执', '正文', 'tuibao-1@cashq.ac.cn', 'sent', '2018-05-14 09:00:01', NULL)
                """)
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE reply SET status = 'suppressed'") }
        }
        try old.close()
        let store = try TuibaoStore(dataDirectory: data)
        #expect(try store.appliedMigrations().last == "v14-review-mail")
        let replies = try store.replies()
        #expect(replies.map(\.id) == [7] && replies.first?.subject == "【YS2018-0001】受理回执" && replies.first?.status == .sent)
        try store.database.write { db in try db.execute(sql: "UPDATE reply SET status = 'suppressed'") }
        #expect(try store.replies(status: .suppressed).count == 1)
    }
}

@Suite("Units table mirrors the registry")
struct UnitMirrorTests {
    @Test("rows read back as written (quotes, backslashes, control characters); only changed rows are written again")
    func mirror() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let store = try TuibaoStore(dataDirectory: workspace.directory.appendingPathComponent("data"))
        let units = [
            RegisteredUnit(name: "中国科学院物理研究所", aliases: ["物理所", "a\"b\\c/d", "tab\there\u{1}"], domains: ["iphy.ac.cn"]),
            RegisteredUnit(name: "中国科学院机关", domains: ["cashq.ac.cn"], addresses: ["x@cashq.ac.cn"]),
            RegisteredUnit(name: "中国科学院人事局"),
        ]
        func stored() throws -> [UnitRecord] {
            try store.database.read { db in try UnitRecord.order(Column("name")).fetchAll(db) }
        }
        try store.write { try $0.mirror(units: units) }
        let first = try stored()
        #expect(first.map { RegisteredUnit(name: $0.name, aliases: $0.aliases, domains: $0.domains, addresses: $0.addresses) }
            .sorted { $0.name < $1.name } == units.sorted { $0.name < $1.name })
        // The writer connection's count of changed rows: mirroring the same units changes none.
        let changes = try store.database.write { db in db.totalChangesCount }
        try store.write { try $0.mirror(units: units) }
        #expect(try store.database.write { db in db.totalChangesCount } == changes)
        var changed = units
        changed[2].addresses = ["rsj@cashq.ac.cn"]
        try store.write { try $0.mirror(units: changed) }
        #expect(try stored().first { $0.name == "中国科学院人事局" }?.addresses == ["rsj@cashq.ac.cn"])
        #expect(try stored().count == 3)
    }
}

extension IntakePipeline {
    func count<Record: TableRecord>(_ record: Record.Type, _ filter: (any SQLExpressible)? = nil) throws -> Int {
        try store.database.read { db in
            var request = record.all()
            if let filter { request = request.filter(filter.sqlExpression) }
            return try request.fetchCount(db)
        }
    }
}

@Suite("Reply subjects")
struct ReplySubjectTests {
    @Test("reply prefixes and our own bracketed number are stripped", arguments: [
        ("答复: 【YS2018-0042】请补充推报材料", "请补充推报材料"),
        ("回复：【YS2018-0039】受理回执：推报材料已收到", "推报材料已收到"),
        ("转发: 【一所一人一事】氢燃料电池团队", "【一所一人一事】氢燃料电池团队"),
        ("Re: RE: Fwd: 推报材料", "推报材料"),
        ("【一所一人一事】物理所推报", "【一所一人一事】物理所推报"),
        ("   ", "（无主题）"),
    ])
    func stripped(_ subject: String, _ expected: String) {
        #expect(ReplyBuilder.strippedSubject(subject) == expected)
    }
}
