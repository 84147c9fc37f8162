import Crypto
import Foundation
import TestSupport
import Testing

/// The staff CLI run as a process against a real data directory, output pinned.
@Suite("Staff commands", .serialized)
struct StaffCommandTests {
    static let now = ["TUIBAO_NOW": "2018-05-14T01:31:00Z"]  // 09:31 Beijing time

    func ingested(_ samples: [String]) throws -> TestWorkspace {
        let workspace = try TestWorkspace()
        let result = try workspace.run(["ingest"] + samples.map { TestWorkspace.sample($0).path }, environment: Self.now)
        #expect(result.status == 0, "\(result.error)")
        return workspace
    }

    @Test("queue: a table aligned for double-width Chinese, then the count")
    func queue() throws {
        let workspace = try ingested(["01-foxmail-iphy", "05-163-gb18030-names", "16-autoreply-iphy"])
        defer { workspace.remove() }
        let result = try workspace.run(["queue"])
        #expect(result.status == 0)
        #expect(result.output == """
        受理编号     单位                        推报对象        状态    版本  材料  问题       收到时间          标题
        ───────────  ──────────────────────────  ──────────────  ──────  ────  ────  ─────────  ────────────────  ────────────────────────────────────────
        YS2018-0001  中国科学院物理研究所        韩思远（个人）  待补正  1     3     1 错 0 警  2018-05-14 09:31  在接近绝对零度的世界里寻找答案
        YS2018-0002  （未知）liuyan1982@163.com  —               待补正  1     1     3 错 1 警  2018-05-14 09:31  补充材料：刘䶮野外考察照片（昆明植物所）
        共 2 件。

        """)
        let json = try JSONSerialization.jsonObject(with: Data(try workspace.run(["queue", "--json", "--status", "needs-correction"]).output.utf8)) as? [[String: Any]]
        #expect(json?.map { $0["trackingNumber"] as? String } == ["YS2018-0001", "YS2018-0002"])
        #expect(try workspace.run(["queue", "--status", "accepted"]).output == "队列为空。\n")
        #expect(try workspace.run(["queue", "--status", "nonsense"]).status != 0)
    }

    @Test("decide and note are logged with who did it; a correction request is queued on request")
    func decideAndNote() throws {
        let workspace = try ingested(["04-coremail-lzb"])
        defer { workspace.remove() }
        #expect(try workspace.run(["decide", "YS2018-0001", "needs-correction", "--note", "请补充代表性图片（每张不小于1M）",
                                   "--reply", "--by", "杨萃"], environment: Self.now).status == 0)
        #expect(try workspace.run(["note", "ys2018-0001", "已电话联系", "--by", "刘毅"], environment: Self.now).status == 0)
        let show = try workspace.run(["show", "YS2018-0001"]).output
        #expect(show.contains("状态:     待补正"))
        #expect(show.contains("2018-05-14 09:31  杨萃  staff.decision  待补正 → 待补正：请补充代表性图片（每张不小于1M）"))
        #expect(show.contains("2018-05-14 09:31  刘毅  staff.note  已电话联系"))
        let outbox = try workspace.run(["outbox", "--json"]).output
        let replies = try JSONSerialization.jsonObject(with: Data(outbox.utf8)) as? [[String: Any]]
        #expect(replies?.count == 2)
        let staffReply = try #require(replies?.last)
        #expect(staffReply["kind"] as? String == "decision")
        #expect((staffReply["body"] as? String)?.contains("1. 请补充代表性图片（每张不小于1M）") == true)
        #expect((staffReply["subject"] as? String)?.hasPrefix("【YS2018-0001】请补正材料：") == true)
        #expect(try workspace.run(["decide", "YS2018-0001", "accepted", "--reply"]).status != 0)
    }

    @Test("files --to: original names made safe, bytes intact")
    func files() throws {
        let workspace = try ingested(["19-hostile-filenames"])
        defer { workspace.remove() }
        let target = workspace.directory.appendingPathComponent("导出")
        let result = try workspace.run(["files", "YS2018-0001", "--to", target.path])
        #expect(result.status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: target.path)
        #expect(!names.isEmpty)
        for name in names {
            #expect(!name.hasPrefix(".") && !name.contains("/") && !name.unicodeScalars.contains { $0.value < 0x20 })
            let data = try Data(contentsOf: target.appendingPathComponent(name))
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            #expect(result.output.contains("\(name)\t") && result.output.contains(digest))
        }
        // Nothing escaped the target folder.
        #expect(!FileManager.default.fileExists(atPath: workspace.directory.appendingPathComponent("etc/passwd").path))
    }

    @Test("export: CSV with BOM read by Python's csv module, .xlsx read by openpyxl")
    func export() throws {
        let workspace = try ingested(["01-foxmail-iphy", "02-outlook2016-simm"])
        defer { workspace.remove() }
        let csv = workspace.directory.appendingPathComponent("清单.csv")
        let xlsx = workspace.directory.appendingPathComponent("清单.xlsx")
        #expect(try workspace.run(["export", "--format", "csv", "-o", csv.path]).status == 0)
        #expect(try workspace.run(["export", "--format", "xlsx", "-o", xlsx.path]).status == 0)
        #expect(try Data(contentsOf: csv).prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        let script = """
        import csv, json, sys, openpyxl
        with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
            rows = list(csv.reader(f))
        sheet = openpyxl.load_workbook(sys.argv[2]).active
        cells = [[c.value for c in row] for row in sheet.iter_rows()]
        print(json.dumps({"csv": rows, "xlsx": cells, "title": sheet.title}, ensure_ascii=False))
        """
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        reader.arguments = ["-W", "error", "-c", script, csv.path, xlsx.path]
        let pipe = Pipe()
        reader.standardOutput = pipe
        try reader.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        reader.waitUntilExit()
        #expect(reader.terminationStatus == 0)
        let parsed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let csvRows = try #require(parsed["csv"] as? [[String]])
        let xlsxRows = try #require(parsed["xlsx"] as? [[Any]])
        #expect(parsed["title"] as? String == "推报清单")
        #expect(csvRows.count == 3 && xlsxRows.count == 3)
        #expect(csvRows[0] == ["受理编号", "单位", "标题", "发件人", "发件邮箱", "状态", "版本数", "材料数", "错误", "警告", "首次收到", "最后更新",
                               "推报对象", "推报类型"])
        #expect(csvRows[1][0] == "YS2018-0001" && csvRows[1][1] == "中国科学院物理研究所" && csvRows[1][5] == "待补正")
        #expect(csvRows[1][2] == "在接近绝对零度的世界里寻找答案" && csvRows[1][12] == "韩思远" && csvRows[1][13] == "个人")
        #expect(xlsxRows[1][0] as? String == "YS2018-0001")
        #expect(xlsxRows[1][2] as? String == csvRows[1][2])
        #expect(xlsxRows[2][7] as? Int == 3)
    }

    @Test("units --missing, stats, queue --failed and reprocess --failed")
    func unitsStatsFailed() throws {
        let workspace = try ingested(["01-foxmail-iphy", "04-coremail-lzb"])
        defer { workspace.remove() }
        let broken = workspace.directory.appendingPathComponent("broken.eml")
        try Data("no headers at all".utf8).write(to: broken)
        #expect(try workspace.run(["ingest", broken.path]).status == 0)
        let missing = try JSONSerialization.jsonObject(with: Data(try workspace.run(["units", "--missing", "--json"]).output.utf8)) as? [String]
        #expect(missing?.contains("中国科学院物理研究所") == false)
        #expect(missing?.contains("中国科学院兰州分院") == false)
        #expect(missing?.contains("中国科学院化学研究所") == true)
        let stats = try JSONSerialization.jsonObject(with: Data(try workspace.run(["stats", "--json"]).output.utf8)) as? [String: Any]
        #expect(stats?["total"] as? Int == 2)
        #expect(stats?["failedMessages"] as? Int == 1)
        #expect((stats?["byUnit"] as? [String: Int])?["中国科学院兰州分院"] == 1)
        let failed = try workspace.run(["queue", "--failed"]).output
        #expect(failed.contains("not a mail message"))
        #expect(try workspace.run(["reprocess", "--failed"]).output.contains("解析失败"))
    }
}
