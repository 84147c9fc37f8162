import Foundation
import GRDB
import Intake
import Store
import TestSupport
import Testing
@testable import Gateway

/// One record per deed: the several mails one deed arrives in — a correction under a new name,
/// a supplement without our tracking number, resends, a colleague's copy — converge on one
/// submission with its history, and the unit gets one clear answer. Each test is a sequence
/// through the real intake path (`IntakePipeline.ingest`) and the staff commands.
@Suite("One record per deed")
struct DeedTests {
    static let files = TestPaths.samples.appendingPathComponent("files")

    /// A mail with attachments (UTF-8 names, base64), as a mail client would send it.
    static func mail(_ workspace: TestWorkspace, _ name: String, from: String, subject: String, body: String = "您好，材料见附件。",
                     headers: [String] = [], attachments: [(name: String, file: String)]) throws -> URL {
        var lines = ["From: \(from)", "To: xcb@cashq.ac.cn",
                     "Subject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?=",
                     "Message-ID: <\(name)-\(UUID().uuidString)@example.cn>", "Date: Tue, 22 May 2018 14:36:50 +0800",
                     "MIME-Version: 1.0"] + headers
        lines += ["Content-Type: multipart/mixed; boundary=\"b\"", "", "--b", "Content-Type: text/plain; charset=utf-8",
                  "Content-Transfer-Encoding: base64", "", Data(body.utf8).base64EncodedString()]
        for attachment in attachments {
            let data = try Data(contentsOf: files.appendingPathComponent(attachment.file))
            lines += ["--b", "Content-Type: application/octet-stream",
                      "Content-Disposition: attachment; filename=\"=?UTF-8?B?\(Data(attachment.name.utf8).base64EncodedString())?=\"",
                      "Content-Transfer-Encoding: base64", "", data.base64EncodedString(options: .lineLength76Characters)]
        }
        lines += ["--b--", ""]
        let url = workspace.directory.appendingPathComponent("\(name).eml")
        try lines.joined(separator: "\r\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The complete deed of 长春光机所 (sample 21's materials, the full-size photo).
    static func ciomp(_ workspace: TestWorkspace, _ name: String, from: String = "dangban@ciomp.ac.cn") throws -> URL {
        try mail(workspace, name, from: from, subject: "【一所一人一事】长春光机所推报材料（孙启航）",
                 attachments: [("附件1：推报表（孙启航）.docx", "form-ciomp.docx"), ("征文：追光的人.docx", "essay-ciomp.docx"),
                               ("孙启航在实验室.jpg", "photo-big-1400x1050.jpg")])
    }

    static func currentFileNames(_ pipeline: IntakePipeline, _ tracking: String) throws -> [String] {
        let submission = try #require(try pipeline.store.submission(identifiedBy: tracking))
        return try pipeline.store.currentFiles(of: submission.id!).compactMap(\.filename)
    }

    static func reply(_ pipeline: IntakePipeline, _ id: Int64?) throws -> ReplyRecord {
        let id = try #require(id)
        return try #require(try pipeline.store.read { try $0.reply(id: id) })
    }

    @Test("a correction under a new name replaces the essay; the full-size photo replaces the small one; receipt")
    func correctionUnderNewName() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let first = try pipeline.ingest(fileAt: TestWorkspace.sample("01-foxmail-iphy"))
        #expect(first.action == .correct && first.problems.map(\.code) == [.imageTooSmall])
        let before = try Self.currentFileNames(pipeline, "YS2018-0001")
        let form = try #require(before.first { $0.contains("推报表") })
        let correction = try Self.mail(workspace, "fix", from: "物理所党委办公室 <dangban@iphy.ac.cn>",
                                       subject: "回复：【YS2018-0001】请补正材料：物理研究所推报材料",
                                       attachments: [("征文：在接近绝对零度的世界里寻找答案（修改稿）.docx", "essay-huawu-xiugai.docx"),
                                                     ("韩思远在实验室调试仪器（原图）.jpg", "photo-big-1400x1050.jpg")])
        let version = try pipeline.ingest(fileAt: correction)
        #expect(version.trackingNumber == "YS2018-0001" && version.versionNumber == 2)
        #expect(version.action == .acknowledge && version.problems.isEmpty)
        #expect(Set(try Self.currentFileNames(pipeline, "YS2018-0001"))
                == [form, "征文：在接近绝对零度的世界里寻找答案（修改稿）.docx", "韩思远在实验室调试仪器（原图）.jpg"])
        #expect(try Self.reply(pipeline, version.replyId).kind == .acknowledge)
        let show = try workspace.run(["show", "YS2018-0001"]).output
        #expect(show.contains("[征文] 征文：在接近绝对零度的世界里寻找答案（修改稿）.docx"))
        #expect(show.contains("替换第 1 版的“征文：在接近绝对零度的世界里寻找答案.docx”"))
        #expect(show.contains("替换第 1 版的“韩思远在实验室调试仪器.jpg”"))
        #expect(show.contains("[推报表] \(form)"))
    }

    @Test("a supplement without the tracking number, while the unit has one open submission, is its next version")
    func supplementOneOpen() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        _ = try pipeline.ingest(fileAt: TestWorkspace.sample("01-foxmail-iphy"))
        let supplement = try Self.mail(workspace, "more", from: "韩思远 <hansiyuan@iphy.ac.cn>", subject: "补充材料：代表性图片原图",
                                       attachments: [("实验室原图.jpg", "photo-big-1400x1050.jpg")])
        let outcome = try pipeline.ingest(fileAt: supplement)
        #expect(outcome.trackingNumber == "YS2018-0001" && outcome.versionNumber == 2)
        #expect(outcome.action == .acknowledge && outcome.problems.isEmpty)
        #expect(try pipeline.store.submissions().count == 1)
        #expect(try Self.reply(pipeline, outcome.replyId).subject.hasPrefix("【YS2018-0001】受理回执"))
    }

    @Test("a supplement that could belong to two open submissions: a new one flagged for staff, never a duplicate; merge fixes it")
    func supplementAmbiguousThenMerge() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        _ = try pipeline.ingest(fileAt: TestWorkspace.sample("01-foxmail-iphy"))  // 韩思远
        let second = try Self.mail(workspace, "second", from: "dangban@iphy.ac.cn", subject: "【一所一人一事】物理所推报材料（团队）",
                                   attachments: [("附件1：推报表.docx", "form-huawu.docx"), ("征文.docx", "essay-huawu-xiugai.docx")])
        #expect(try pipeline.ingest(fileAt: second).trackingNumber == "YS2018-0002")
        let supplement = try Self.mail(workspace, "more", from: "dangban@iphy.ac.cn", subject: "补充材料",
                                       attachments: [("照片.jpg", "photo-big-1400x1050.jpg")])
        let outcome = try pipeline.ingest(fileAt: supplement)
        #expect(outcome.trackingNumber == "YS2018-0003" && outcome.versionNumber == 1)
        #expect(outcome.problems.contains { $0.code == .supplementAmbiguous && $0.message.contains("YS2018-0001") && $0.message.contains("YS2018-0002") })
        #expect(!outcome.problems.contains { [.duplicateThisCampaign, .duplicateEarlierCampaign].contains($0.code) })

        let merged = try workspace.run(["merge", "YS2018-0003", "YS2018-0001", "--by", "杨萃"])
        #expect(merged.status == 0, "\(merged.error)")
        #expect(merged.output.hasPrefix("已将 YS2018-0003 并入 YS2018-0001（第 2 版），重新核对结果：受理回执\n"))
        #expect(try Self.currentFileNames(pipeline, "YS2018-0001").contains("照片.jpg"))
        #expect(!(try Self.currentFileNames(pipeline, "YS2018-0001")).contains("韩思远在实验室调试仪器.jpg"))
        let source = try #require(try pipeline.store.submission(identifiedBy: "YS2018-0003"))
        #expect(source.status == .alreadySubmitted && source.mergedIntoId != nil)
        let receipts = try pipeline.store.replies().filter { $0.submissionId == source.mergedIntoId && $0.subject.hasPrefix("【YS2018-0001】受理回执") }
        #expect(receipts.count == 1)
        #expect(try workspace.run(["show", "YS2018-0001"]).output.contains("杨萃  submissions.merged  YS2018-0003 并入本件"))
    }

    @Test("a unit with many open submissions: the ambiguity warning names the latest five and the count, not all")
    func ambiguityNamesAFew() {
        let open = (1...7).map { OpenSubmissionName(id: Int64($0), trackingNumber: "YS2018-000\($0)", nominee: "推报对象\($0)",
                                                    nomineeKey: nil, title: nil) }
        #expect(SupplementFinder.ambiguity(open).message == "本邮件未注明受理编号，可能是对 YS2018-0003（推报对象3）、YS2018-0004（推报对象4）、"
                + "YS2018-0005（推报对象5）、YS2018-0006（推报对象6）、YS2018-0007（推报对象7） 等 7 件 的补充，已暂作新推报登记，工作人员将核实。")
        #expect(SupplementFinder.ambiguity(Array(open.prefix(2))).message
                == "本邮件未注明受理编号，可能是对 YS2018-0001（推报对象1）、YS2018-0002（推报对象2） 的补充，已暂作新推报登记，工作人员将核实。")
    }

    @Test("three resends: no new submission, each answered naming the first, the unit hears it once")
    func threeResends() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let first = try pipeline.ingest(fileAt: Self.ciomp(workspace, "first"))
        #expect(first.action == .acknowledge && first.trackingNumber == "YS2018-0001")
        var replies: [ReplyRecord] = []
        for index in 1...3 {
            let resend = try pipeline.ingest(fileAt: Self.ciomp(workspace, "resend\(index)"))
            #expect(resend.resendOf == "YS2018-0001" && resend.action == .alreadySubmitted)
            replies.append(try Self.reply(pipeline, resend.replyId))
        }
        #expect(try pipeline.store.submissions().count == 1)
        #expect(replies.allSatisfy { $0.body.contains("受理编号 YS2018-0001）《") && $0.kind == .alreadySubmitted })
        #expect(replies.map(\.status) == [.queued, .suppressed, .suppressed])
    }

    @Test("resends after the deed was decided: one duplicate finding each, naming the original, not the copies")
    func resendsOfADecidedDeed() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        _ = try pipeline.ingest(fileAt: Self.ciomp(workspace, "first"))
        #expect(try workspace.run(["decide", "YS2018-0001", "accepted", "--note", "材料齐全"]).status == 0)
        for index in 2...4 {
            let copy = try pipeline.ingest(fileAt: Self.ciomp(workspace, "copy\(index)"))
            #expect(copy.trackingNumber == "YS2018-000\(index)" && copy.action == .alreadySubmitted)
            let findings = copy.problems.filter { $0.code == .duplicateThisCampaign }
            #expect(findings.count == 1)
            #expect(findings.first?.message.contains("受理编号 YS2018-0001") == true)
        }
        // The copies are not indexed: a later check meets only the original's essay.
        let indexed = try pipeline.store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM essay_fingerprint WHERE submissionId IS NOT NULL")
        }
        #expect(indexed == 1)
    }

    @Test("a colleague's copy from another address of the unit: the deed on file, answered naming it")
    func colleaguesCopy() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        _ = try pipeline.ingest(fileAt: Self.ciomp(workspace, "first"))
        let copy = try pipeline.ingest(fileAt: Self.ciomp(workspace, "colleague", from: "王丽 <wangli@ciomp.ac.cn>"))
        #expect(copy.resendOf == "YS2018-0001")
        let answer = try Self.reply(pipeline, copy.replyId)
        #expect(answer.recipient == "wangli@ciomp.ac.cn" && answer.status == .queued)
        #expect(answer.subject.hasPrefix("【YS2018-0001】已报送，不必重复报送"))
    }

    @Test("a shared photo alone is not a deed: duplicate.possible for staff, and the unit gets its receipt")
    func sharedPhotoOnly() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        _ = try pipeline.ingest(fileAt: Self.ciomp(workspace, "first"))
        let other = try Self.mail(workspace, "dicp", from: "dangban@dicp.ac.cn", subject: "【一所一人一事】大连化物所推报材料",
                                  attachments: [("附件1：推报表.docx", "form-huawu.docx"), ("征文.docx", "essay-huawu-xiugai.docx"),
                                                ("合影.jpg", "photo-big-1400x1050.jpg")])
        let outcome = try pipeline.ingest(fileAt: other)
        #expect(outcome.trackingNumber == "YS2018-0002" && outcome.action == .acknowledge)
        #expect(outcome.problems.map(\.code) == [.duplicatePossible])
        #expect(outcome.problems.first?.message.contains("图片“合影.jpg”") == true)
    }

    @Test("staff overrule a duplicate: decide accepted --reply sends the unit its receipt")
    func overruleWithReceipt() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        _ = try pipeline.ingest(fileAt: Self.ciomp(workspace, "first"))
        #expect(try workspace.run(["decide", "YS2018-0001", "accepted", "--note", "材料齐全"]).status == 0)
        let copy = try pipeline.ingest(fileAt: Self.ciomp(workspace, "copy", from: "sunqh@ciomp.ac.cn"))
        #expect(copy.action == .alreadySubmitted && copy.trackingNumber == "YS2018-0002")
        let result = try workspace.run(["decide", "YS2018-0002", "accepted", "--reply", "--note", "两件为不同年度的工作", "--by", "刘毅"])
        #expect(result.status == 0, "\(result.error)")
        let receipt = try #require(try pipeline.store.replies().last)
        #expect(receipt.kind == .decision && receipt.recipient == "sunqh@ciomp.ac.cn")
        #expect(receipt.subject.hasPrefix("【YS2018-0002】受理回执"))
        #expect(!receipt.body.contains("不必重复报送"))
    }

    @Test("staff attach a corrected essay --as essay: it replaces the essay; remove takes a file out, logged")
    func attachAsAndRemove() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        _ = try pipeline.ingest(fileAt: Self.ciomp(workspace, "first"))
        let essay = Self.files.appendingPathComponent("essay-huawu-xiugai.docx")
        let attached = try workspace.run(["attach", "YS2018-0001", essay.path, "--as", "essay", "--name", "征文（定稿）.docx", "--by", "杨萃"])
        #expect(attached.status == 0, "\(attached.error)")
        #expect(Set(try Self.currentFileNames(pipeline, "YS2018-0001")) == ["附件1：推报表（孙启航）.docx", "孙启航在实验室.jpg", "征文（定稿）.docx"])
        let removed = try workspace.run(["remove", "YS2018-0001", "孙启航在实验室.jpg", "--by", "杨萃"])
        #expect(removed.status == 0, "\(removed.error)")
        #expect(removed.output.contains("重新核对结果：请补正"))
        #expect(try Self.currentFileNames(pipeline, "YS2018-0001") == ["附件1：推报表（孙启航）.docx", "征文（定稿）.docx"])
        let show = try workspace.run(["show", "YS2018-0001"]).output
        #expect(show.contains("已由 杨萃 于"))
        #expect(show.contains("杨萃  file.removed  工作人员从第 1 版移除“孙启航在实验室.jpg”"))
        #expect(try workspace.run(["remove", "YS2018-0001", "没有这个文件.doc"]).status == 1)
    }

    @Test("check --data-dir predicts against the store: a resend is named as one, and nothing is written")
    func checkAgainstTheStore() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        _ = try pipeline.ingest(fileAt: Self.ciomp(workspace, "first"))
        let resend = try Self.ciomp(workspace, "resend")
        let data = workspace.directory.appendingPathComponent("data").path
        let result = try workspace.run(["check", "--json", resend.path, "--data-dir", data])
        #expect(result.status == 0, "\(result.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(json["resendOf"] as? String == "YS2018-0001" && json["action"] as? String == "alreadySubmitted")
        #expect(try pipeline.store.counts() == StoreCounts(submissions: 1, versions: 1, messages: 1))
        // Without the store, the same mail is a first send.
        let fresh = try workspace.run(["check", "--json", resend.path])
        let first = try #require(try JSONSerialization.jsonObject(with: Data(fresh.output.utf8)) as? [String: Any])
        #expect(first["resendOf"] is NSNull && first["action"] as? String == "acknowledge")
    }
}
