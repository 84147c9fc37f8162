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
        YS2018-0001  物理研究所                  韩思远（个人）  待补正  1     3     1 错 0 警  2018-05-14 09:31  在接近绝对零度的世界里寻找答案
        YS2018-0002  （未知）liuyan1982@163.com  —               待补正  1     1     3 错 1 警  2018-05-14 09:31  补充材料：刘䶮野外考察照片（昆明植物所）
        共 2 件。时间为北京时间。

        """)
        let json = try JSONSerialization.jsonObject(with: Data(try workspace.run(["queue", "--json", "--status", "needs-correction"]).output.utf8)) as? [[String: Any]]
        #expect(json?.map { $0["trackingNumber"] as? String } == ["YS2018-0001", "YS2018-0002"])
        #expect(try workspace.run(["queue", "--status", "accepted"]).output == "队列为空。\n")
        #expect(try workspace.run(["queue", "--status", "nonsense"]).status != 0)
        // A page of the latest, oldest first, saying how many there are in all; JSON too if asked.
        let page = try workspace.run(["queue", "--limit", "1"]).output.split(separator: "\n")
        #expect(page.count == 4)
        #expect(page[2].hasPrefix("YS2018-0002  "))
        #expect(page[3] == "共 2 件，显示最近的 1 件（--limit 0 列出全部）。时间为北京时间。")
        let all = try workspace.run(["queue", "--limit", "0"]).output
        #expect(all.hasSuffix("共 2 件。时间为北京时间。\n") && all.contains("YS2018-0001  "))
        let latest = try JSONSerialization.jsonObject(with: Data(try workspace.run(["queue", "--json", "--limit", "1"]).output.utf8)) as? [[String: Any]]
        #expect(latest?.map { $0["trackingNumber"] as? String } == ["YS2018-0002"])
        let negative = try workspace.run(["queue", "--limit=-1"])
        #expect(negative.status != 0 && negative.error.contains("--limit 不能为负数"))
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
        #expect(try workspace.run(["decide", "YS2018-0001", "rejected", "--reply"]).status != 0)
    }

    @Test("files --to: original names made safe, bytes intact")
    func files() throws {
        let workspace = try ingested(["19-hostile-filenames"])
        defer { workspace.remove() }
        let target = workspace.directory.appendingPathComponent("导出")
        // Where a traversal name would land if joined naively to the target:
        // 导出/../../etc/passwd is the workspace's parent (the temporary directory), not the workspace.
        let escapedPasswd = target.appendingPathComponent("../../etc/passwd").standardizedFileURL
        #expect(escapedPasswd.path == workspace.directory.deletingLastPathComponent()
            .appendingPathComponent("etc/passwd").standardizedFileURL.path)
        let escapedExisted = FileManager.default.fileExists(atPath: escapedPasswd.path)
        let systemPasswd = Self.modificationDate("/etc/passwd")
        let before = try Self.tree(workspace.directory)

        let result = try workspace.run(["files", "YS2018-0001", "--to", target.path])
        #expect(result.status == 0, "\(result.error)")
        // The four attachments of the sample, in mail order, under the names SafeFilename makes of
        // them (\, /, control characters and : become _, leading dots and _ go); the hashes are
        // those in Samples/mail/19-hostile-filenames.expected.json (made by scripts/make-samples).
        let expected = [
            ("etc_passwd", "91 B", "bda7268d5393a0ec6a4b0b101e86e9b187694e156aa31580b025c0a272a24dd2"),  // ../../etc/passwd
            ("Windows_win.ini", "49 B", "a318a8d64a0af41a4b4f74199aa1432e4271c401d6f2ef2f0f79b2dbbafb9cfd"),  // ..\..\Windows\win.ini
            ("附件1__Bcc_ all-staff@cashq.ac.cn.docx", "36 B",  // 附件1\r\nBcc: all-staff@…
             "72c0c776db459f549ab9c3599de6f349e2e908c02c98b4e48b93f06d2287d1f3"),
            ("推报表.docx.exe", "105 B", "28091e972e4077504a8dc76d6b8e0a847b892131ab2b2c5c7913bc99d4da53b1"),
        ]
        #expect(result.output == expected.map { "\($0.0)\t\($0.1)\t\($0.2)\n" }.joined())
        let names = try FileManager.default.contentsOfDirectory(atPath: target.path).sorted()
        #expect(names.count == 4)
        #expect(names == expected.map(\.0).sorted())
        for (name, _, sha256) in expected {
            let data = try Data(contentsOf: target.appendingPathComponent(name))
            #expect(SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() == sha256, "\(name)")
        }

        // Nothing escaped the target folder: the only new paths in the whole workspace are the
        // target and the four files in it, and nothing appeared at the workspace's parent's
        // etc/passwd (where ../../etc/passwd would land) or changed /etc/passwd itself.
        let after = try Self.tree(workspace.directory)
        #expect(after.subtracting(before).sorted() == (["导出"] + expected.map { "导出/\($0.0)" }).sorted())
        #expect(before.subtracting(after).isEmpty)
        #expect(escapedExisted || !FileManager.default.fileExists(atPath: escapedPasswd.path))
        #expect(Self.modificationDate("/etc/passwd") == systemPasswd)
    }

    static func modificationDate(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// Every path under `directory`, relative to it (files and folders).
    static func tree(_ directory: URL) throws -> Set<String> {
        Set(try FileManager.default.subpathsOfDirectory(atPath: directory.path))
    }

    @Test("units --missing, stats, queue --failed and reprocess --failed")
    func unitsStatsFailed() throws {
        let workspace = try ingested(["01-foxmail-iphy", "04-coremail-lzb"])
        defer { workspace.remove() }
        let broken = workspace.directory.appendingPathComponent("broken.eml")
        try Data("no headers at all".utf8).write(to: broken)
        #expect(try workspace.run(["ingest", broken.path]).status == 0)
        let missing = (try JSONSerialization.jsonObject(with: Data(try workspace.run(["units", "--missing", "--json"]).output.utf8)) as? [[String: Any]])?
            .compactMap { $0["name"] as? String }
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
