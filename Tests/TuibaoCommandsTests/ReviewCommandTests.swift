import Foundation
import Store
import TestSupport
import Testing

/// `tuibao review` run as a process on six accepted sample deeds of six units, with four
/// reviewers (甲 of the first deed's unit, 物理所), k = 3: the assignment, scores, progress,
/// the ranking against a hand computation, the workbook read back by openpyxl, and closing.
@Suite("Review: choosing the year's best", .serialized)
struct ReviewCommandTests {
    static let now = ["TUIBAO_NOW": "2018-10-08T02:00:00Z"]  // 10:00 Beijing time
    /// YS2018-0001 物理所, -0002 上海药物所, -0003 兰州分院, -0004 国家天文台, -0005 长春光机所,
    /// -0006 光电所; -0007 (化学所) stays waiting for a correction.
    static let samples = ["01-foxmail-iphy", "02-outlook2016-simm", "04-coremail-lzb", "07-applemail-video-nao",
                          "21-foxmail-complete-ciomp", "22-coremail-video-only-ioe", "23-outlook2016-form-incomplete-iccas"]
    static let deeds = (1...6).map { "YS2018-000\($0)" }
    static let review = """
        [review]
        criteria = [
          { name = "事迹典型性", weight = 0.4 },
          { name = "感染力", weight = 0.3 },
          { name = "材料质量", weight = 0.3 },
        ]
        reviewers_per_deed = 3

        [[review.reviewer]]
        name = "甲"
        address = "jia@iphy.ac.cn"
        unit = "物理所"

        [[review.reviewer]]
        name = "乙"
        address = "yi@cashq.ac.cn"
        unit = "院机关"

        [[review.reviewer]]
        name = "丙"
        address = "bing@dicp.ac.cn"
        unit = "大连化物所"

        [[review.reviewer]]
        name = "丁"
        address = "ding@ihep.ac.cn"
        unit = "高能所"
        """
    static let addresses = ["甲": "jia@iphy.ac.cn", "乙": "yi@cashq.ac.cn", "丙": "bing@dicp.ac.cn", "丁": "ding@ihep.ac.cn"]

    /// Six accepted deeds, a round opened and the six shortlisted.
    static func shortlisted() throws -> TestWorkspace {
        try shortlist(in: TestWorkspace(extra: review))
    }

    /// The six deeds taken in, accepted, a round opened and the six shortlisted, in `workspace`.
    static func shortlist(in workspace: TestWorkspace) throws -> TestWorkspace {
        let ingest = try workspace.run(["ingest"] + samples.map { TestWorkspace.sample($0).path }, environment: now)
        #expect(ingest.status == 0, "\(ingest.error)")
        for deed in deeds {
            #expect(try workspace.run(["decide", deed, "accepted", "--note", "材料齐全，入围", "--by", "刘毅"], environment: now).status == 0)
        }
        #expect(try workspace.ok(["review", "open", "2018 年度最佳事迹", "--by", "刘毅"]).hasPrefix("评审轮次「2018 年度最佳事迹」（进行中）"))
        #expect(try workspace.ok(["review", "add"] + deeds + ["--by", "刘毅"]).hasSuffix("名单共 6 件。\n"))
        return workspace
    }

    /// Reviewer name → the deeds assigned, from `review status --json`.
    static func assignment(_ workspace: TestWorkspace, _ extra: [String] = []) throws -> [String: [String]] {
        let status = try workspace.json(["review", "status"] + extra)
        var result: [String: [String]] = [:]
        for reviewer in status["reviewers"] as! [[String: Any]] { result[reviewer["name"] as! String] = reviewer["assigned"] as? [String] }
        return result
    }

    @Test("assign: 6 deeds × 3 reviewers, never a reviewer of the deed's unit, loads 4 or 5, the same on a copy")
    func assignment() throws {
        let workspace = try Self.shortlisted()
        defer { workspace.remove() }
        let copy = workspace.directory.appendingPathComponent("copy")
        try FileManager.default.copyItem(at: workspace.directory.appendingPathComponent("data"), to: copy)

        let output = try workspace.ok(["review", "assign", "--by", "刘毅"])
        #expect(output.contains("新分配 18 项。"))
        let assigned = try Self.assignment(workspace)
        #expect(!assigned["甲"]!.contains("YS2018-0001"), "甲 is of 物理所, like YS2018-0001")
        #expect(assigned.values.map(\.count).sorted() == [4, 4, 5, 5])
        for deed in Self.deeds { #expect(assigned.values.filter { $0.contains(deed) }.count == 3, "\(deed)") }
        // The same store, assigned again elsewhere: the same assignment.
        _ = try workspace.ok(["review", "assign", "--data-dir", copy.path])
        #expect(try Self.assignment(workspace, ["--data-dir", copy.path]) == assigned)
        // A second run has nothing to add.
        #expect(try workspace.ok(["review", "assign"]).hasPrefix("没有需要新分配的"))
        #expect(try Self.assignment(workspace) == assigned)
        // Logged on the deed.
        #expect(try workspace.ok(["show", "YS2018-0002"]).contains("刘毅  review.assigned  分配给评审专家"))
    }

    @Test("refused: shortlisting what is not accepted, a second open round, scoring outside 1–10, an unknown criterion, an unassigned reviewer")
    func refusals() throws {
        let workspace = try Self.shortlisted()
        defer { workspace.remove() }
        #expect(try workspace.fails(["review", "add", "YS2018-0007"])
            == "错误：YS2018-0007 的状态是「待补正」，只有已采纳的推报可以参评（先 tuibao decide YS2018-0007 accepted --note …） (only accepted submissions can be shortlisted)\n")
        #expect(try workspace.fails(["review", "add", "YS2018-9999"]) == "错误：找不到推报 YS2018-9999 (no such submission)\n")
        #expect(try workspace.fails(["review", "open", "第二轮"])
            == "错误：评审轮次「2018 年度最佳事迹」尚未结束，请先 tuibao review close (round 2018 年度最佳事迹 is still open)\n")
        _ = try workspace.ok(["review", "assign"])
        let reviewer = try #require(try Self.assignment(workspace).first { $0.value.contains("YS2018-0002") }?.key)
        #expect(try workspace.fails(["review", "score", "YS2018-0002", reviewer, "--criterion", "感染力=11"])
            == "错误：「感染力」的分数 11 超出范围，应在 1–10 之间 (scores run from 1 to 10)\n")
        #expect(try workspace.fails(["review", "score", "YS2018-0002", reviewer, "--criterion", "文采=8"])
            == "错误：没有「文采」这项评审标准；本轮的标准是：事迹典型性、感染力、材料质量 (unknown criterion)\n")
        #expect(try workspace.fails(["review", "score", "YS2018-0001", "甲", "--criterion", "感染力=8"])
            == "错误：YS2018-0001 没有分配给评审专家 甲，不能录入其评分 (this reviewer is not assigned this deed)\n")
        #expect(try workspace.fails(["review", "score", "YS2018-0002", "某人", "--criterion", "感染力=8"])
            == "错误：「某人」不是配置中的评审专家（[[review.reviewer]]）；评审专家：甲、乙、丙、丁 (not a configured reviewer)\n")
        #expect(try workspace.fails(["review", "score", "YS2018-0002", reviewer, "--criterion", "感染力"])
            == "错误：评分应写成 标准=分数，如 感染力=8 (give NAME=VALUE): 感染力\n")
        // Nothing refused was filed.
        let ranking = try workspace.json(["review", "ranking"])
        #expect((ranking["deeds"] as! [[String: Any]]).allSatisfy { ($0["scores"] as! [Any]).isEmpty })
        // A configuration without [review] says so.
        let bare = try TestWorkspace()
        defer { bare.remove() }
        #expect(try bare.fails(["review", "status"]).hasPrefix("错误：配置文件中没有 [review] 段"))
    }

    @Test("score: a later entry replaces the earlier one criterion by criterion; every version is kept and logged")
    func versions() throws {
        let workspace = try Self.shortlisted()
        defer { workspace.remove() }
        _ = try workspace.ok(["review", "assign"])
        let reviewer = try #require(try Self.assignment(workspace).first { $0.value.contains("YS2018-0002") }?.key)
        #expect(try workspace.ok(["review", "score", "YS2018-0002", reviewer, "--criterion", "事迹典型性=8", "--criterion", "感染力=7",
                                  "--criterion", "材料质量=6", "--comment", "事迹突出", "--by", "杨萃"])
            == "YS2018-0002 · \(reviewer)：事迹典型性 8，感染力 7，材料质量 6（第 1 版，工作人员录入）\n加权分 7.10。\n")
        #expect(try workspace.ok(["review", "score", "YS2018-0002", Self.addresses[reviewer]!, "--criterion", "感染力=9", "--by", "杨萃"])
            == "YS2018-0002 · \(reviewer)：感染力 9（原 7）（第 2 版，工作人员录入）\n加权分 7.70。\n")
        let deed = try #require((try workspace.json(["review", "ranking"])["deeds"] as! [[String: Any]]).first { $0["trackingNumber"] as? String == "YS2018-0002" })
        let score = try #require((deed["scores"] as! [[String: Any]]).first)
        #expect(score["versions"] as? Int == 2 && score["comment"] as? String == "事迹突出")
        #expect((score["values"] as! [[String: Any]]).map { $0["value"] as! Double } == [8, 9, 6])
        #expect(abs((score["weighted"] as! Double) - 7.7) < 1e-9)
        // Both entries are in the store.
        let store = try TuibaoStore(dataDirectory: workspace.directory.appendingPathComponent("data"))
        let roundId = try #require(try store.reviewRounds().first?.id)
        let state = try #require(try store.reviewRoundState(roundId: roundId))
        #expect(state.entries.map(\.entry.version) == [1, 2])
        #expect(state.entries.map { $0.scores.map(\.value) } == [[8, 7, 6], [9]])
        #expect(state.entries.allSatisfy { $0.entry.source == .staff && $0.entry.enteredBy == "杨萃" })
        let show = try workspace.ok(["show", "YS2018-0002"])
        #expect(show.contains("杨萃  review.scored  评审专家 \(reviewer)：事迹典型性 8，感染力 7，材料质量 6，评语：事迹突出，工作人员录入（第 1 版）"))
        #expect(show.contains("杨萃  review.scored  评审专家 \(reviewer)：感染力 9，工作人员录入（第 2 版）"))
    }

    // MARK: The ranking

    /// Reviewer → deed number → (事迹典型性, 感染力, 材料质量): the table of the hand computation
    /// (also in GatewayTests' ReviewLogicTests). 乙 is harsh. 丁 has not returned deed 6.
    static let scores: [(String, [(Int, [Int])])] = [
        ("甲", [(2, [6, 6, 6]), (3, [9, 9, 9]), (4, [5, 5, 5]), (6, [7, 7, 7])]),
        ("乙", [(1, [5, 5, 5]), (3, [3, 3, 3]), (4, [2, 2, 2]), (5, [4, 4, 4])]),
        ("丙", [(1, [9, 7, 7]), (2, [6, 6, 6]), (4, [4, 4, 4]), (5, [7, 7, 7]), (6, [8, 8, 8])]),
        ("丁", [(1, [8, 8, 8]), (2, [5, 5, 5]), (3, [9, 9, 9]), (5, [6, 6, 6])]),
    ]

    /// Conflicts that leave each deed exactly three eligible reviewers, so the assignment is the
    /// one the hand computation assumes: 1 without 甲 (its own unit), 2 without 乙, 3 without 丙,
    /// 4 without 丁, 5 without 甲, 6 without 乙 (declared for 光电所, the deed's unit).
    static func forcedAssignment(_ workspace: TestWorkspace) throws {
        for (reviewer, deed) in [("乙", "YS2018-0002"), ("丙", "YS2018-0003"), ("丁", "YS2018-0004"), ("jia@iphy.ac.cn", "YS2018-0005")] {
            #expect(try workspace.ok(["review", "conflict", reviewer, deed, "--reason", "曾参与该事迹的宣传", "--by", "刘毅"]).hasPrefix("已登记"))
        }
        #expect(try workspace.ok(["review", "conflict", "乙", "--unit", "光电所", "--reason", "曾在该所工作", "--by", "刘毅"])
            == "已登记：评审专家 乙 回避 中国科学院光电技术研究所的推报（曾在该所工作）。\n")
        _ = try workspace.ok(["review", "assign"])
        #expect(try assignment(workspace) == ["甲": ["YS2018-0002", "YS2018-0003", "YS2018-0004", "YS2018-0006"],
                                              "乙": ["YS2018-0001", "YS2018-0003", "YS2018-0004", "YS2018-0005"],
                                              "丙": ["YS2018-0001", "YS2018-0002", "YS2018-0004", "YS2018-0005", "YS2018-0006"],
                                              "丁": ["YS2018-0001", "YS2018-0002", "YS2018-0003", "YS2018-0005", "YS2018-0006"]])
    }

    static func enterScores(_ workspace: TestWorkspace, lenient: Bool = false, _ extra: [String] = []) throws {
        let names = ["事迹典型性", "感染力", "材料质量"]
        for (reviewer, deeds) in scores {
            for (deed, values) in deeds {
                let shifted = lenient && reviewer == "乙" ? values.map { $0 + 3 } : values
                let criteria = zip(names, shifted).flatMap { ["--criterion", "\($0)=\($1)"] }
                _ = try workspace.ok(["review", "score", "YS2018-000\(deed)", reviewer] + criteria + extra)
            }
        }
    }

    struct Ranked: Equatable {
        var deed: String
        var rank: Int?
        var standardized: Double
        var mean: Double
        var spread: Double
        var reviews: Int
        var missing: Bool
        var disagreement: Bool
    }

    static func ranking(_ workspace: TestWorkspace, _ extra: [String] = []) throws -> [Ranked] {
        try (workspace.json(["review", "ranking"] + extra)["deeds"] as! [[String: Any]]).map {
            Ranked(deed: $0["trackingNumber"] as! String, rank: $0["rank"] as? Int, standardized: $0["standardized"] as! Double,
                   mean: $0["weightedMean"] as! Double, spread: $0["spread"] as! Double, reviews: $0["reviews"] as! Int,
                   missing: $0["missingReviews"] as! Bool, disagreement: $0["disagreement"] as! Bool)
        }
    }

    @Test("ranking against a hand computation; a lenient reviewer moves the means, not the standardised ranking; flags; status; close")
    func ranking() throws {
        let workspace = try Self.shortlisted()
        defer { workspace.remove() }
        try Self.forcedAssignment(workspace)
        let lenientData = workspace.directory.appendingPathComponent("lenient")
        try FileManager.default.copyItem(at: workspace.directory.appendingPathComponent("data"), to: lenientData)
        try Self.enterScores(workspace)
        try Self.enterScores(workspace, lenient: true, ["--data-dir", lenientData.path])

        // By hand (population standard deviations): reviewer means and deviations of the weighted
        // scores — 甲 6.75 / 1.4790, 乙 3.5 / 1.1180, 丙 6.56 / 1.4610 (its deed 1 is 0.4·9 + 0.3·7 + 0.3·7
        // = 7.8), 丁 7 / 1.5811. Deed 1: z = (5 − 3.5)/1.1180 = 1.3416, (7.8 − 6.56)/1.4610 = 0.8488,
        // (8 − 7)/1.5811 = 0.6325 → 0.9410; mean (5 + 7.8 + 8)/3 = 6.9333; spread 1.3695. Deed 3:
        // 9, 3, 9 → spread 2.8284 ≥ 2, disagreement. Deed 6: 丁 missing, two reviews.
        let expected: [(String, Double, Double, Double, Int)] = [
            ("YS2018-0001", 0.9410, 6.9333, 1.3695, 3), ("YS2018-0003", 0.7797, 7.0000, 2.8284, 3),
            ("YS2018-0006", 0.5773, 7.5000, 0.5000, 2), ("YS2018-0005", 0.0386, 5.6667, 1.2472, 3),
            ("YS2018-0002", -0.7184, 5.6667, 0.4714, 3), ("YS2018-0004", -1.4257, 3.6667, 1.2472, 3),
        ]
        let harsh = try Self.ranking(workspace)
        #expect(harsh.map(\.deed) == expected.map(\.0))
        #expect(harsh.map(\.rank) == [1, 2, 3, 4, 5, 6])
        for (row, (deed, z, mean, spread, reviews)) in zip(harsh, expected) {
            #expect(abs(row.standardized - z) < 2e-4 && abs(row.mean - mean) < 2e-4 && abs(row.spread - spread) < 2e-4, "\(deed): \(row)")
            #expect(row.reviews == reviews && row.missing == (deed == "YS2018-0006") && row.disagreement == (deed == "YS2018-0003"), "\(deed)")
        }

        // 乙 lenient (+3 on everything): the same standardised ranking; the means of 乙's deeds rise
        // by 1 (three reviews each), so by mean alone deeds 3 and 1 overtake 6.
        let lenient = try Self.ranking(workspace, ["--data-dir", lenientData.path])
        #expect(lenient.map(\.deed) == harsh.map(\.deed))
        #expect(zip(lenient, harsh).allSatisfy { abs($0.standardized - $1.standardized) < 1e-9 })
        let byMean = { (rows: [Ranked]) in rows.sorted { $0.mean > $1.mean }.prefix(3).map(\.deed) }
        #expect(byMean(harsh) == ["YS2018-0006", "YS2018-0003", "YS2018-0001"])
        #expect(byMean(lenient) == ["YS2018-0003", "YS2018-0001", "YS2018-0006"])
        #expect(abs(lenient[0].mean - 7.9333) < 2e-4 && !lenient[1].disagreement)

        // The table says the same, with its flags.
        let table = try workspace.ok(["review", "ranking"])
        #expect(table.contains("1     YS2018-0001  物理研究所") && table.contains("0.94        6.93        1.37    3/3        —"))
        #expect(table.contains("0.78        7.00        2.83    3/3        分歧"))
        #expect(table.contains("0.58        7.50        0.50    2/3        缺评 1"))
        #expect(table.hasSuffix("按标准化得分排序（各专家的加权分换算为其本人的 z 分后取平均）；分歧：标准差 ≥ 2。\n"))

        // Who has not returned: 丁, deed 6.
        let status = try workspace.json(["review", "status"])
        let missing = (status["reviewers"] as! [[String: Any]]).map { ($0["name"] as! String, $0["missing"] as! [String]) }
        #expect(missing.map(\.0) == ["甲", "乙", "丙", "丁"] && missing.map(\.1) == [[], [], [], ["YS2018-0006"]])
        #expect(try workspace.ok(["review", "status"]).contains("丁        高能物理研究所      5     4       1       —           —         YS2018-0006"))

        // Both outputs follow the JSON contract.
        #expect(try StaffToolsTests().schemaErrors(try workspace.ok(["review", "status", "--json"]), as: "reviewStatus") == [])
        #expect(try StaffToolsTests().schemaErrors(try workspace.ok(["review", "ranking", "--json"]), as: "reviewRanking") == [])

        // Closing freezes the round: no score, no assignment, no conflict; the ranking stays readable.
        #expect(try workspace.ok(["review", "close", "--by", "刘毅"])
            == "评审轮次「2018 年度最佳事迹」已结束，评分与分配已冻结。（仍有 1 项评分未交回。）\n排名：tuibao review ranking --round '2018 年度最佳事迹'\n"
            + "评选年度最佳事迹并发布到专栏：tuibao review choose --top N --round '2018 年度最佳事迹'\n")
        let frozen = "错误：评审轮次「2018 年度最佳事迹」已结束，评分和分配已冻结 (the round is closed: scores and assignments are frozen)\n"
        #expect(try workspace.fails(["review", "score", "YS2018-0006", "丁", "--criterion", "感染力=8"]) == frozen)
        #expect(try workspace.fails(["review", "assign"]) == frozen)
        #expect(try workspace.fails(["review", "conflict", "丙", "YS2018-0001", "--reason", "x"]) == frozen)
        #expect(try Self.ranking(workspace) == harsh)
        let closed = try workspace.json(["review", "ranking"])["round"] as! [String: Any]
        #expect(closed["closed"] as? Bool == true && closed["closedBy"] as? String == "刘毅" && closed["closedAt"] as? String == "2018-10-08T10:00:00+08:00")
        // A new round may open now.
        #expect(try workspace.ok(["review", "open", "复评"]).hasPrefix("评审轮次「复评」（进行中）"))
    }

    @Test("ranking as .xlsx through the WorkbookWriter, read back by openpyxl")
    func workbook() throws {
        let workspace = try Self.shortlisted()
        defer { workspace.remove() }
        try Self.forcedAssignment(workspace)
        try Self.enterScores(workspace)
        let file = workspace.directory.appendingPathComponent("评审排名.xlsx")
        #expect(try workspace.ok(["review", "ranking", "--format", "xlsx", "-o", file.path]) == "已导出 6 件的排名 → \(file.path)\n")
        let json = try PythonReader.run(Self.openpyxlScript, file.path)
        let book = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(book["title"] as? String == "评审排名")
        #expect(book["header"] as? [String] == ["名次", "受理编号", "单位", "推报对象", "标题", "标准化得分", "加权平均分", "标准差",
                                                "已评", "应评", "标记", "各专家加权分"])
        #expect(book["freeze"] as? String == "A2" && book["filter"] as? String == "A1:L7")
        let rows = try #require(book["rows"] as? [[Any]])
        #expect(rows.map { $0[1] as? String } == ["YS2018-0001", "YS2018-0003", "YS2018-0006", "YS2018-0005", "YS2018-0002", "YS2018-0004"])
        #expect(rows.map { $0[0] as? Int } == [1, 2, 3, 4, 5, 6])
        #expect(rows[0][2] as? String == "中国科学院物理研究所")
        #expect(rows[0][5] as? Double == 0.941 && rows[0][6] as? Double == 6.933 && rows[0][7] as? Double == 1.37)
        #expect(rows[0][8] as? Int == 3 && rows[0][9] as? Int == 3)
        #expect(rows[1][10] as? String == "分歧" && rows[2][10] as? String == "缺评 1" && rows[0][10] is NSNull)
        #expect(rows[0][11] as? String == "乙 5.00\n丙 7.80\n丁 8.00")
        #expect(try workspace.fails(["review", "ranking", "--format", "xlsx", "-o", workspace.directory.path])
            == "错误：-o 须是文件，\(workspace.directory.path) 是文件夹 (-o must name a file, e.g. \(workspace.directory.path)/评审排名.xlsx)\n")
    }

    @Test("open --criteria: the round takes its own criteria and weights; a malformed list is refused and opens nothing")
    func openWithCriteria() throws {
        let workspace = try TestWorkspace(extra: Self.review)
        defer { workspace.remove() }
        let usage = "错误：评审标准应写成 名称=权重，以逗号分隔，如 事迹典型性=0.4,感染力=0.3,材料质量=0.3；权重须大于 0 (give NAME=WEIGHT,…): "
        #expect(try workspace.fails(["review", "open", "专项", "--criteria", "感染力"]) == usage + "感染力\n")
        #expect(try workspace.fails(["review", "open", "专项", "--criteria", "感染力=2,创新性=0"]) == usage + "创新性=0\n")
        #expect(try workspace.fails(["review", "open", "专项", "--criteria", "感染力=2,感染力=1"]) == "错误：评审标准「感染力」重复 (criterion named twice)\n")
        #expect(try workspace.ok(["review", "open", "专项", "--criteria", "感染力=2，创新性：1"])
            == "评审轮次「专项」（进行中）：评审标准 感染力 2、创新性 1；每件 3 位评审专家。\n评审专家 4 位。下一步：tuibao review add 受理编号…\n")
        let round = try #require(try workspace.json(["review", "status"])["round"] as? [String: Any])
        #expect((round["criteria"] as? [[String: Any]])?.map { $0["name"] as! String } == ["感染力", "创新性"])
    }

    static let openpyxlScript = """
        import json, sys, openpyxl
        sheet = openpyxl.load_workbook(sys.argv[1]).active
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_col=12)]
        print(json.dumps({"title": sheet.title, "header": [c.value for c in sheet[1]], "rows": rows,
                          "freeze": sheet.freeze_panes, "filter": sheet.auto_filter.ref}, ensure_ascii=False))
        """
}

extension TestWorkspace {
    /// Runs a command that must succeed (at the review's pinned time); its standard output.
    func ok(_ arguments: [String]) throws -> String {
        let result = try run(arguments, environment: ReviewCommandTests.now)
        #expect(result.status == 0, "\(arguments): \(result.error)")
        return result.output
    }

    /// Runs a command that must fail with status 1; its standard error.
    func fails(_ arguments: [String]) throws -> String {
        let result = try run(arguments, environment: ReviewCommandTests.now)
        #expect(result.status == 1, "\(arguments): \(result.output)")
        return result.error
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(ok(arguments + ["--json"]).utf8)) as? [String: Any])
    }
}
