import Foundation
import GRDB
import Intake
import Store
import TestSupport
import Testing
@testable import Gateway

@Suite("Earlier campaigns and duplicates", .serialized)
struct DuplicateTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/earlier")
    static let sampleFiles = TestWorkspace.repositoryRoot.appendingPathComponent("Samples/files")

    /// A list beside its documents, as staff receive it.
    func list(_ workspace: TestWorkspace, _ lines: [String], files: [String: URL] = [:]) throws -> URL {
        let folder = workspace.directory.appendingPathComponent("earlier-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, source) in files { try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent(name)) }
        let url = folder.appendingPathComponent("list.csv")
        try ("\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("a list with bad rows: every bad row named by line, nothing imported; --skip-bad imports the rest; importing again adds nothing")
    func badRows() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let url = try list(workspace, [
            "编号,单位,类型,名称,标题,日期,文件,sha256",
            "JT-001,中国科学院物理研究所,个人,韩思远,在接近绝对零度的世界里寻找答案,2017-09-20,,",
            "JT-002,,团队,某团队,缺单位,2017-09-20,,",
            "JT-003,中国科学院化学研究所,小组,某小组,类型不对,2017-09-20,,",
            "JT-004,中国科学院化学研究所,个人,\"程立新, 研究员\",\"标题里有\"\"引号\"\"和逗号，\",2017年9月22日,,",
            "JT-005,中国科学院化学研究所,个人,某人,日期不对,2017-13-40,,",
            "JT-006,中国科学院化学研究所,个人,某人,文件不在,2017-09-20,缺失.docx,",
        ])
        let refused = try workspace.run(["campaign", "import", "--campaign", "jingtou2017", "--name", "“镜头中的最美科学家”视频征集", url.path])
        #expect(refused.status == 1)
        #expect(refused.error.contains("有 4 行无法读取，未导入任何记录"))
        for expected in ["第 3 行：缺少单位 (unit)", "第 4 行：类型只能是“团队”或“个人”（小组）", "第 6 行：日期无法识别（2017-13-40）",
                         "第 7 行：找不到文件 缺失.docx，也没有给出 sha256"] {
            #expect(refused.error.contains(expected), "\(expected)")
        }
        let pipeline = try workspace.pipeline()
        #expect(try pipeline.count(EarlierRecord.self) == 0)
        let imported = try workspace.run(["campaign", "import", "--campaign", "jingtou2017", "--name", "“镜头中的最美科学家”视频征集",
                                          "--skip-bad", url.path])
        #expect(imported.status == 0)
        #expect(imported.output.hasPrefix("往期活动 jingtou2017：导入 2 条记录、0 个文件、0 篇征文指纹。\n跳过 4 行："))
        let records = try pipeline.store.database.read { db in try EarlierRecord.order(Column("id")).fetchAll(db) }
        #expect(records.map(\.externalId) == ["JT-001", "JT-004"])
        #expect(records[1].nominee == "程立新, 研究员" && records[1].title == "标题里有\"引号\"和逗号，" && records[1].submittedOn == "2017-09-22")
        #expect(try workspace.run(["campaign", "import", "--campaign", "jingtou2017", "--skip-bad", url.path]).output
                    .hasPrefix("往期活动 jingtou2017：导入 0 条记录"))
        #expect(try pipeline.count(EarlierRecord.self) == 2)
        let listed = try workspace.run(["campaign", "list"]).output
        #expect(listed.contains("jingtou2017  “镜头中的最美科学家”视频征集  2     0     0"))
    }

    @Test("the same essay as a PDF in an earlier campaign, under another title: found by its text; the reply names the record; dupes shows why")
    func pdfOfTheSameEssay() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let url = try list(workspace, [
            "id,unit,category,nominee,title,submitted_on,file,sha256",
            "JT-017,物理所,个人,,极低温实验室里的追梦人,2017-09-20,jt017-essay.pdf,",
            "JT-018,中国科学院物理研究所,团队,超导材料研究团队,让电流零损耗奔跑,2017-09-21,,",
        ], files: ["jt017-essay.pdf": Self.fixtures.appendingPathComponent("jt017-essay.pdf")])
        let pipeline = try workspace.pipeline()
        let report = try pipeline.importEarlier(listAt: url, campaignId: "jingtou2017", campaignName: "“镜头中的最美科学家”视频征集")
        #expect(report.records == 2 && report.files == 1 && report.fingerprinted == 1)

        let outcome = try pipeline.ingest(fileAt: TestWorkspace.sample("01-foxmail-iphy"))
        #expect(outcome.action == .alreadySubmitted)
        let duplicate = try #require(outcome.problems.first { $0.code == .duplicateEarlierCampaign })
        #expect(duplicate.message.hasPrefix("该事迹已于“镜头中的最美科学家”视频征集（2017-09-20，编号 JT-017）《极低温实验室里的追梦人》报送（征文内容相似度 "))
        #expect(!duplicate.message.contains("相同文件"))  // PDF vs docx: different bytes, same text
        let reply = try #require(try pipeline.store.replies().first)
        #expect(reply.subject.hasPrefix("【YS2018-0001】已报送，不必重复报送："))
        #expect(reply.body.contains("  · “镜头中的最美科学家”视频征集（2017-09-20，编号 JT-017）《极低温实验室里的追梦人》（征文内容相似度 "))
        let dupes = try workspace.run(["dupes", "YS2018-0001"]).output
        #expect(dupes.contains("对照:     “镜头中的最美科学家”视频征集　JT-017　2017-09-20"))
        #expect(dupes.contains("征文相似度: "))
        #expect(dupes.contains("tuibao decide YS2018-0001 accepted --note"))
        let json = try JSONSerialization.jsonObject(with: Data(try workspace.run(["dupes", "YS2018-0001", "--json"]).output.utf8)) as? [[String: Any]]
        let similarity = try #require(json?.first?["essaySimilarity"] as? Double)
        #expect(similarity >= 0.8)
        // The other record is another deed of the same institute: nothing links them.
        #expect(json?.count == 1)
    }

    @Test("within this campaign: a reply with the same files is a version, never a duplicate; the same mail sent again is the deed on file, answered naming it")
    func thisCampaign() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let pipeline = try workspace.pipeline()
        let first = try pipeline.ingest(fileAt: TestWorkspace.sample("21-foxmail-complete-ciomp"))
        #expect(first.action == .acknowledge)
        // The unit replies to its receipt with the same files: a version, not a duplicate.
        let raw = try String(contentsOf: TestWorkspace.sample("21-foxmail-complete-ciomp"), encoding: .utf8)
        let reply = workspace.directory.appendingPathComponent("reply.eml")
        try raw.replacingOccurrences(of: "Message-ID: <", with: "In-Reply-To: <tuibao-\(first.sha256.prefix(24))@cashq.ac.cn>\r\nMessage-ID: <v2-")
            .write(to: reply, atomically: true, encoding: .utf8)
        let version = try pipeline.ingest(fileAt: reply)
        #expect(version.trackingNumber == first.trackingNumber && version.versionNumber == 2)
        #expect(version.action == .acknowledge)
        // The unit sends the same mail again as a new one: the deed on file, answered "already
        // submitted" naming it — no second submission, no new version.
        let again = workspace.directory.appendingPathComponent("again.eml")
        try raw.replacingOccurrences(of: "Message-ID: <", with: "Message-ID: <again-").write(to: again, atomically: true, encoding: .utf8)
        let resend = try pipeline.ingest(fileAt: again)
        #expect(resend.resendOf == "YS2018-0001" && resend.trackingNumber == "YS2018-0001")
        #expect(resend.action == .alreadySubmitted && resend.versionNumber == nil)
        #expect(try pipeline.store.submissions().count == 1)
        let answer = try #require(try pipeline.store.read { try $0.reply(id: resend.replyId!) })
        #expect(answer.kind == .alreadySubmitted)
        #expect(answer.body.contains("受理编号 YS2018-0001）《"))
    }

    @Test("the same nominee and unit with a different deed: only duplicate.possible, a warning for staff")
    func sameNomineeOtherDeed() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let url = try list(workspace, [
            "id,unit,category,nominee,title,submitted_on,file,sha256",
            "CX-031,中国科学院物理研究所,个人,韩 思 远,量子材料输运测量平台建设,2016-05-10,,",
        ])
        let pipeline = try workspace.pipeline()
        _ = try pipeline.importEarlier(listAt: url, campaignId: "chuangxin2016", campaignName: "十八大以来创新成果先进事迹征集")
        let outcome = try pipeline.ingest(fileAt: TestWorkspace.sample("01-foxmail-iphy"))
        let possible = try #require(outcome.problems.first { $0.code == .duplicatePossible })
        #expect(possible.severity == .warning)
        #expect(possible.message == "推报对象“韩 思 远”曾于十八大以来创新成果先进事迹征集（2016-05-10，编号 CX-031）《量子材料输运测量平台建设》报送，本次材料不同，工作人员将核实。")
        #expect(outcome.action == .correct)  // its small photo; the possible duplicate alone changes nothing
    }

    @Test("thresholds come from [duplicates]: a lenient title threshold turns the same nominee into the same deed; out-of-range values are refused")
    func configuredThresholds() throws {
        let workspace = try TestWorkspace(extra: "[duplicates]\ntitle_similarity = 0.05\n")
        defer { workspace.remove() }
        let url = try list(workspace, [
            "id,unit,category,nominee,title,submitted_on,file,sha256",
            "CX-031,中国科学院物理研究所,个人,韩思远,在极低温下寻找答案,2016-05-10,,",
        ])
        let pipeline = try workspace.pipeline()
        #expect(pipeline.configuration.duplicateThresholds.titleSimilarity == 0.05)
        _ = try pipeline.importEarlier(listAt: url, campaignId: "chuangxin2016", campaignName: "创新成果征集")
        let outcome = try pipeline.ingest(fileAt: TestWorkspace.sample("01-foxmail-iphy"))
        #expect(outcome.problems.map(\.code).contains(.duplicateEarlierCampaign))
        #expect(outcome.action == .alreadySubmitted)

        let bad = try TestWorkspace(extra: "[duplicates]\nessay_similarity = 1.5\n")
        defer { bad.remove() }
        #expect(throws: ConfigurationError.self) { _ = try bad.pipeline() }
    }

    @Test("campaign add: a new earlier campaign, listed; the same id twice is refused; import without --name needs it first")
    func campaignAdd() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let url = try list(workspace, ["id,unit,title", "A-1,中国科学院物理研究所,某事迹"])
        let missing = try workspace.run(["campaign", "import", "--campaign", "jt2017", url.path])
        #expect(missing.status == 1 && missing.error.contains("没有编号为 jt2017 的往期活动"))
        let added = try workspace.run(["campaign", "add", "jt2017", "--name", "视频征集（2017）"])
        #expect(added.status == 0 && added.output == "已添加往期活动 jt2017：视频征集（2017）\n")
        #expect(try workspace.run(["campaign", "add", "jt2017", "--name", "再来一次"]).error.contains("往期活动 jt2017 已存在"))
        #expect(try workspace.run(["campaign", "import", "--campaign", "jt2017", url.path]).output.hasPrefix("往期活动 jt2017：导入 1 条记录"))
        #expect(try workspace.run(["campaign", "list"]).output.contains("jt2017     视频征集（2017）"))
    }

    @Test("an .xlsx list with Chinese headers, written by openpyxl")
    func xlsxList() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let xlsx = workspace.directory.appendingPathComponent("往期名单.xlsx")
        let script = """
        import openpyxl, sys
        wb = openpyxl.Workbook(); ws = wb.active
        ws.append(["编号", "单位", "类型", "名称", "标题", "日期", "文件", "sha256"])
        ws.append(["JT-101", "中国科学院上海药物研究所", "团队", "抗肿瘤靶向药物研发团队", "十年磨一药", "2017-09-21", None, "\(String(repeating: "ab", count: 32))"])
        ws.append(["JT-102", "中国科学院兰州分院", "团队", "治沙团队", "沙海绿洲", 42999, None, None])
        wb.save(sys.argv[1])
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, xlsx.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let report = try workspace.pipeline().importEarlier(listAt: xlsx, campaignId: "jt", campaignName: "视频征集")
        #expect(report.records == 2 && report.files == 1 && report.problems.isEmpty)
        let records = try workspace.pipeline().store.database.read { db in try EarlierRecord.order(Column("id")).fetchAll(db) }
        #expect(records.map(\.submittedOn) == ["2017-09-21", "2017-09-21"])  // 42999 is Excel's day number for 2017-09-21
    }
}
