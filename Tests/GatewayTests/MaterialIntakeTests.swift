import Foundation
import GRDB
import Intake
import MaterialChecks
import Store
import TestSupport
import Testing
@testable import Gateway

@Suite("Materials through intake", .serialized)
struct MaterialIntakeTests {
    static func file(_ name: String) -> URL {
        TestWorkspace.repositoryRoot.appendingPathComponent("Samples/files/\(name)")
    }

    @Test("two forms in one mail: two submissions with their own files and problems, one reply naming both, the group photo left for staff")
    func twoNominations() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let outcome = try pipeline.ingest(fileAt: TestWorkspace.sample("38-coremail-two-nominations-ihep"))
        #expect(outcome.nominations.map(\.trackingNumber) == ["YS2018-0001", "YS2018-0002"])
        #expect(outcome.nominations.map(\.nominee) == ["中国散裂中子源谱仪研制团队", "罗睿"])
        #expect(outcome.nominations.map(\.category) == ["团队", "个人"])
        #expect(outcome.nominations.map { $0.problems.map(\.code) } == [[.imageTooSmall], [.imageTooSmall]])
        #expect(outcome.unassigned == ["高能所推报人员合影.jpg"])
        let submissions = try pipeline.store.database.read { db in try SubmissionRecord.order(Column("id")).fetchAll(db) }
        #expect(submissions.map(\.title) == ["为国家大科学装置擦亮“中子之眼”", "在海拔四千四百米守望宇宙线"])
        // Each submission holds its own form, essay and photo; the unassigned photo stays with the first.
        let files = try submissions.map { try pipeline.store.currentFiles(of: $0.id!).compactMap(\.filename) }
        #expect(files[0].count == 4 && files[0].contains("高能所推报人员合影.jpg") && files[0].contains("征文-中国散裂中子源谱仪研制团队.docx"))
        #expect(files[1].count == 3 && files[1].contains("征文-罗睿.docx"))
        let replies = try pipeline.store.replies()
        #expect(replies.count == 1)
        let reply = try #require(replies.first)
        #expect(reply.subject.hasPrefix("【YS2018-0001、YS2018-0002】请补正材料："))
        #expect(reply.body.contains("（1）中国散裂中子源谱仪研制团队　受理编号：YS2018-0001\n  1. 图片“中国散裂中子源谱仪研制团队-谱仪大厅.jpg”为 106 KB"))
        #expect(reply.body.contains("（2）罗睿　受理编号：YS2018-0002\n  1. 图片“罗睿在海子山调试探测器.jpg”为 34 KB"))
        let events = try pipeline.store.database.read { db in try EventRecord.filter(Column("kind") == "materials.unassigned").fetchAll(db) }
        #expect(events.map(\.detail) == ["无法归入某一推报、请工作人员分配的材料：高能所推报人员合影.jpg"])
    }

    @Test("tuibao attach: staff add the missing form; the rules run again, the submission is complete and a receipt is queued")
    func attachCompletes() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let ingested = try workspace.run(["ingest", TestWorkspace.sample("22-coremail-video-only-ioe").path])
        #expect(ingested.output.contains("form.missing"))
        let result = try workspace.run(["attach", "YS2018-0001", Self.file("form-ioe.docx").path, "--name", "附件1：推报表.docx",
                                        "--by", "杨萃"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("已将“附件1：推报表.docx”加入 YS2018-0001，重新核对结果：受理回执\n"))
        #expect(result.output.contains("材料已齐全，受理回执已放入待发队列"))
        let pipeline = try workspace.pipeline()
        let submission = try #require(try pipeline.store.submission(identifiedBy: "YS2018-0001"))
        #expect(submission.status == .acknowledged)
        #expect(submission.nominee != nil)
        let replies = try pipeline.store.replies()
        #expect(replies.map(\.kind) == [.correct, .acknowledge])
        #expect(replies.last?.body.contains("附件1：推报表.docx") == true)
        let show = try workspace.run(["show", "YS2018-0001"]).output
        #expect(show.contains("杨萃  file.attached  工作人员补充材料“附件1：推报表.docx”"))
        // Attaching more while complete sends no second receipt.
        let again = try workspace.run(["attach", "YS2018-0001", Self.file("essay-ciomp.docx").path])
        #expect(again.output.hasPrefix("已将“essay-ciomp.docx”加入 YS2018-0001，重新核对结果："))
        #expect(!again.output.contains("受理回执已放入待发队列"))
        #expect(try pipeline.store.replies().count == 2)
    }

    @Test("tuibao attach: the video fetched from the unit's link is checked, and the link is no longer pending")
    func attachVideo() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let outcome = try pipeline.ingest(fileAt: TestWorkspace.sample("36-coremail-leader-cstcloud-impcas"))
        #expect(outcome.problems.map(\.code).contains(.videoPendingLink))
        let attached = try pipeline.attach(fileAt: Self.file("video-1280x720-480s.mp4"), name: "郑海涛.mp4",
                                           to: outcome.submissionId!, actor: "刘毅")
        #expect(attached.kind == .video)
        #expect(attached.problems.map(\.code) == [.nomineeLeader, .videoLowResolution])
        #expect(attached.action == .correct)
        #expect(attached.receiptReplyId == nil)
    }
}
