import Foundation
import TestSupport
import Testing

/// `tuibao export` run as a process on filed sample mails; the workbook read back by openpyxl and
/// the CSV by Python's csv module, so what is checked is what a spreadsheet program sees.
@Suite("Export: the submission list as a workbook and CSV", .serialized)
struct ExportTests {
    static let headers = ["受理编号", "单位", "推报类型", "推报对象", "标题", "状态", "问题", "联系人", "电话", "电子邮箱",
                          "收到时间", "最后更新", "备注"]

    /// Four nominations filed on three days; 37's arrives at 00:05 Beijing time on the 16th,
    /// still the 15th in UTC. Then a decision and a note on the 21st.
    static func workspace() throws -> TestWorkspace {
        let workspace = try TestWorkspace()
        let filings = [("01-foxmail-iphy", "2018-05-14T01:31:00Z"),              // YS2018-0001, 09:31
                       ("37-outlook2016-zip-gbk-dicp", "2018-05-15T16:05:00Z"),  // YS2018-0002, 05-16 00:05
                       ("38-coremail-two-nominations-ihep", "2018-05-20T02:00:00Z")]  // YS2018-0003 and -0004, 10:00
        for (sample, now) in filings {
            let result = try workspace.run(["ingest", TestWorkspace.sample(sample).path], environment: ["TUIBAO_NOW": now])
            #expect(result.status == 0, "\(result.error)")
        }
        let later = ["TUIBAO_NOW": "2018-05-21T08:30:00Z"]  // 16:30
        #expect(try workspace.run(["decide", "YS2018-0002", "accepted", "--note", "材料齐全", "--by", "杨萃"], environment: later).status == 0)
        #expect(try workspace.run(["note", "YS2018-0001", "已电话联系，周五前补图", "--by", "刘毅"], environment: later).status == 0)
        #expect(try workspace.run(["note", "YS2018-0001", "=HYPERLINK(\"x\") 不是公式", "--by", "刘毅"], environment: later).status == 0)
        return workspace
    }

    /// Exports with the arguments and reads the workbook back.
    func workbook(_ workspace: TestWorkspace, _ arguments: [String] = []) throws -> Workbook {
        let file = workspace.directory.appendingPathComponent("清单-\(UUID().uuidString).xlsx")
        let result = try workspace.run(["export", "--format", "xlsx", "-o", file.path] + arguments)
        #expect(result.status == 0, "\(result.error)")
        let json = try PythonReader.run(Self.openpyxlScript, file.path)
        return try Workbook(json)
    }

    func trackingNumbers(_ workspace: TestWorkspace, _ arguments: [String]) throws -> [String] {
        try workbook(workspace, arguments).rows.map { $0[0].value as? String ?? "" }
    }

    @Test("xlsx: header, one row per nomination with real Beijing dates, contact from the form, problems and notes")
    func values() throws {
        let workspace = try Self.workspace()
        defer { workspace.remove() }
        let book = try workbook(workspace)
        #expect(book.title == "推报清单")
        #expect(book.header == Self.headers)
        #expect(book.rows.map { $0[0].value as? String } == ["YS2018-0001", "YS2018-0002", "YS2018-0003", "YS2018-0004"])

        let first = book.rows[0]
        #expect(first.map(\.type) == ["str", "str", "str", "str", "str", "str", "str", "str", "str", "str", "datetime", "datetime", "str"])
        #expect(first[1].value as? String == "中国科学院物理研究所")
        #expect(first[2].value as? String == "个人")
        #expect(first[3].value as? String == "韩思远")
        #expect(first[4].value as? String == "在接近绝对零度的世界里寻找答案")
        #expect(first[5].value as? String == "待补正")
        let problems = try #require(first[6].value as? String)
        #expect(problems.hasPrefix("【错误】") && !problems.contains("\r"), "\(problems)")
        // The contact block of Samples/files/form-wuli.docx; the phone stays text (leading 0).
        #expect(first[7].value as? String == "刘晓燕")
        #expect(first[8].value as? String == "010-82649037")
        #expect(first[9].value as? String == "dangban@iphy.ac.cn")
        // Beijing wall-clock time; the note did not change the submission.
        #expect(first[10].value as? String == "2018-05-14T09:31:00")
        #expect(first[11].value as? String == "2018-05-14T09:31:00")
        #expect(first[12].value as? String == "2018-05-21 16:30 刘毅：已电话联系，周五前补图\n2018-05-21 16:30 刘毅：=HYPERLINK(\"x\") 不是公式")
        #expect(book.numberFormats[10] == "yyyy-mm-dd hh:mm" && book.numberFormats[11] == "yyyy-mm-dd hh:mm")

        // Received after midnight in Beijing (the 15th in UTC); accepted on the 21st; no problems
        // left (an empty cell); the form inside the zip gives the contact.
        let second = book.rows[1]
        #expect(second[1].value as? String == "中国科学院大连化学物理研究所")
        #expect(second[3].value as? String == "氢燃料电池关键材料攻关团队")
        #expect(second[5].value as? String == "已采纳")
        #expect(second[6].type == "NoneType")
        #expect(second[7].value as? String == "张敏" && second[8].value as? String == "0411-84379226")
        #expect(second[9].value as? String == "dangban@dicp.ac.cn")
        #expect(second[10].value as? String == "2018-05-16T00:05:00")
        #expect(second[11].value as? String == "2018-05-21T16:30:00")
        #expect(second[12].type == "NoneType")

        // One message, two forms: each nomination has its own contact and nominee.
        #expect(book.rows[2][3].value as? String == "中国散裂中子源谱仪研制团队")
        #expect(book.rows[3][3].value as? String == "罗睿")
        #expect(book.rows[2][1].value as? String == "中国科学院高能物理研究所")
        #expect(book.rows[2][7].value as? String == "孟晓" && book.rows[3][7].value as? String == "孟晓")
        #expect(book.rows[3][8].value as? String == "010-88236012")
        // The second problem of YS2018-0004 on a line of its own.
        let lines = (book.rows[3][6].value as? String)?.split(separator: "\n") ?? []
        #expect(lines.count == 2 && lines[0].hasPrefix("【错误】图片“罗睿在海子山调试探测器.jpg”") && lines[1].hasPrefix("【警告】"))
    }

    @Test("xlsx: bold frozen header, autofilter over the table, widths fitted to the content, problems wrapped")
    func layout() throws {
        let workspace = try Self.workspace()
        defer { workspace.remove() }
        let book = try workbook(workspace)
        #expect(book.freezePanes == "A2")
        #expect(book.autoFilter == "A1:M5")
        #expect(book.headerBold == Array(repeating: true, count: 13))
        #expect(book.wrapped == [false, false, false, false, false, false, true, false, false, false, false, false, true])
        // A: 「受理编号」 (8 columns) and its filter button, or YS2018-0001 (11), plus one.
        #expect(book.widths[0] == 12)
        // B: the longest unit, 14 CJK characters, counted double.
        #expect(book.widths[1] == 29)
        // Dates: 「2018-05-14 09:31」.
        #expect(book.widths[10] == 17 && book.widths[11] == 17)
        // Wrapped columns stop at 50; none is left at the default width.
        #expect(book.widths[6] <= 50 && book.widths[12] <= 50)
        #expect(book.widths.count == 13 && book.widths.allSatisfy { $0 >= 6 })
    }

    @Test("xlsx: --unit by name or registered alias, --since by Beijing day, --status")
    func filters() throws {
        let workspace = try Self.workspace()
        defer { workspace.remove() }
        #expect(try trackingNumbers(workspace, ["--unit", "物理所"]) == ["YS2018-0001"])  // an alias; not in 中国科学院物理研究所
        #expect(try trackingNumbers(workspace, ["--unit", "高能所"]) == ["YS2018-0003", "YS2018-0004"])
        #expect(try trackingNumbers(workspace, ["--unit", "大连"]) == ["YS2018-0002"])  // part of the name
        #expect(try trackingNumbers(workspace, ["--unit", "化学所"]).isEmpty)  // a unit that sent nothing
        #expect(try trackingNumbers(workspace, ["--since", "2018-05-16"]) == ["YS2018-0002", "YS2018-0003", "YS2018-0004"])
        #expect(try trackingNumbers(workspace, ["--since", "2018-05-17"]) == ["YS2018-0003", "YS2018-0004"])
        #expect(try trackingNumbers(workspace, ["--status", "accepted"]) == ["YS2018-0002"])
        #expect(try trackingNumbers(workspace, ["--status", "待补正", "--unit", "高能所", "--since", "2018-05-20"]) == ["YS2018-0003", "YS2018-0004"])
        // An empty selection is still a workbook: the header, frozen and filtered.
        let empty = try workbook(workspace, ["--status", "rejected"])
        #expect(empty.rows.isEmpty && empty.header == Self.headers && empty.autoFilter == "A1:M1" && empty.freezePanes == "A2")
        for bad in [["--since", "2018-13-45"], ["--since", "14-05-2018"], ["--status", "nonsense"]] {
            let result = try workspace.run(["export", "--format", "xlsx", "-o", workspace.directory.appendingPathComponent("x.xlsx").path] + bad)
            #expect(result.status == 64, "\(bad)")
        }
    }

    @Test("xlsx and CSV: another zone in the configuration moves every date and the --since day")
    func campaignZone() throws {
        let workspace = try Self.workspace()
        defer { workspace.remove() }
        try workspace.appendToConfig("timezone = \"Europe/Berlin\"\n", atTop: true)
        let book = try workbook(workspace)
        #expect(book.rows[0][10].value as? String == "2018-05-14T03:31:00")
        #expect(book.rows[1][10].value as? String == "2018-05-15T18:05:00")
        #expect(book.rows[0][12].value as? String == "2018-05-21 10:30 刘毅：已电话联系，周五前补图\n2018-05-21 10:30 刘毅：=HYPERLINK(\"x\") 不是公式")
        // YS2018-0002 came on the 15th in Berlin (the 16th in Beijing).
        #expect(try trackingNumbers(workspace, ["--since", "2018-05-16"]) == ["YS2018-0003", "YS2018-0004"])
        let file = workspace.directory.appendingPathComponent("berlin.csv")
        #expect(try workspace.run(["export", "-o", file.path]).status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(try PythonReader.run(Self.csvScript, file.path).utf8)) as? [[String]])
        #expect(rows[1][10] == "2018-05-14 03:31" && rows[2][11] == "2018-05-21 10:30")
    }

    @Test("CSV: the same columns and filters, UTF-8 with BOM, CRLF, formulas neutralised")
    func csv() throws {
        let workspace = try Self.workspace()
        defer { workspace.remove() }
        let file = workspace.directory.appendingPathComponent("清单.csv")
        #expect(try workspace.run(["export", "-o", file.path]).status == 0)
        let data = try Data(contentsOf: file)
        #expect(data.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        #expect(String(decoding: data, as: UTF8.self).contains("\r\n"))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(try PythonReader.run(Self.csvScript, file.path).utf8)) as? [[String]])
        #expect(rows.first == Self.headers)
        #expect(rows.count == 5)
        let first = rows[1]
        #expect(Array(first[0...5]) == ["YS2018-0001", "中国科学院物理研究所", "个人", "韩思远", "在接近绝对零度的世界里寻找答案", "待补正"])
        #expect(first[6].hasPrefix("【错误】"))
        #expect(Array(first[7...11]) == ["刘晓燕", "010-82649037", "dangban@iphy.ac.cn", "2018-05-14 09:31", "2018-05-14 09:31"])
        #expect(first[12] == "2018-05-21 16:30 刘毅：已电话联系，周五前补图\n2018-05-21 16:30 刘毅：=HYPERLINK(\"x\") 不是公式")
        #expect(rows[2][10] == "2018-05-16 00:05" && rows[2][11] == "2018-05-21 16:30" && rows[2][6] == "")

        // A text that looks like a formula stays text: ' before it in the CSV, a string in the workbook.
        let formula = try workspace.message("formula.eml", headers: ["From: 党办 <dangban@iccas.ac.cn>", "To: xcb@cashq.ac.cn",
                                                                     "Subject: =1+2 推报", "Message-ID: <formula@iccas.ac.cn>",
                                                                     "Date: Mon, 21 May 2018 10:00:00 +0800"])
        #expect(try workspace.run(["ingest", formula.path]).status == 0)
        #expect(try workspace.run(["export", "-o", file.path, "--unit", "化学所"]).status == 0)
        let iccas = try #require(try JSONSerialization.jsonObject(with: Data(try PythonReader.run(Self.csvScript, file.path).utf8)) as? [[String]])
        #expect(iccas.map { $0[0] } == ["受理编号", "YS2018-0005"])
        #expect(iccas.last?[4] == "'=1+2 推报")
        let book = try workbook(workspace, ["--unit", "化学所"])
        #expect(book.rows.first?[4].type == "str" && book.rows.first?[4].value as? String == "=1+2 推报")

        let filtered = workspace.directory.appendingPathComponent("高能所.csv")
        #expect(try workspace.run(["export", "-o", filtered.path, "--unit", "高能所", "--since", "2018-05-16", "--status", "needs-correction"]).status == 0)
        let some = try #require(try JSONSerialization.jsonObject(with: Data(try PythonReader.run(Self.csvScript, filtered.path).utf8)) as? [[String]])
        #expect(some.map { $0[0] } == ["受理编号", "YS2018-0003", "YS2018-0004"])
    }

    // MARK: Reading back

    static let openpyxlScript = """
        import datetime, json, sys, openpyxl
        from openpyxl.utils import get_column_letter
        sheet = openpyxl.load_workbook(sys.argv[1]).active
        def cell(c):
            v = c.value
            return {"type": type(v).__name__, "value": v.isoformat() if isinstance(v, datetime.datetime) else v}
        rows = [[cell(c) for c in row] for row in sheet.iter_rows(min_row=2, max_col=13)]
        header = [c.value for c in sheet[1]]
        print(json.dumps({
            "title": sheet.title, "header": header, "rows": rows,
            "freeze": sheet.freeze_panes, "filter": sheet.auto_filter.ref,
            "bold": [bool(c.font.b) for c in sheet[1]],
            "wrap": [bool(sheet.cell(row=2, column=i).alignment.wrap_text) for i in range(1, 14)],
            "formats": [sheet.cell(row=2, column=i).number_format for i in range(1, 14)],
            "widths": [sheet.column_dimensions[get_column_letter(i)].width for i in range(1, 14)],
        }, ensure_ascii=False))
        """

    static let csvScript = """
        import csv, json, sys
        with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
            print(json.dumps(list(csv.reader(f)), ensure_ascii=False))
        """

    struct Workbook {
        struct Cell {
            var type: String
            var value: Any?
        }

        var title: String
        var header: [String]
        var rows: [[Cell]]
        var freezePanes: String?
        var autoFilter: String?
        var headerBold: [Bool]
        var wrapped: [Bool]
        var numberFormats: [String]
        var widths: [Double]

        init(_ json: String) throws {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            title = object["title"] as? String ?? ""
            header = object["header"] as? [String] ?? []
            rows = (object["rows"] as? [[[String: Any]]] ?? []).map { row in
                row.map { Cell(type: $0["type"] as? String ?? "", value: $0["value"] is NSNull ? nil : $0["value"]) }
            }
            freezePanes = object["freeze"] as? String
            autoFilter = object["filter"] as? String
            headerBold = object["bold"] as? [Bool] ?? []
            wrapped = object["wrap"] as? [Bool] ?? []
            numberFormats = object["formats"] as? [String] ?? []
            widths = object["widths"] as? [Double] ?? []
        }
    }
}
