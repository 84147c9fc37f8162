import Foundation
import Testing
@testable import TuibaoCommands
@testable import Gateway

/// The hand-written SpreadsheetML: text kept as text, numbers as numbers, dates as the wall clock
/// of the zone asked for; read back by openpyxl where it can tell.
@Suite("Workbook writer")
struct WorkbookWriterTests {
    @Test("text: entities escaped, forbidden characters dropped, CR LF as LF, a literal _x0041_ kept literal")
    func escaping() {
        #expect(WorkbookWriter.escaped("a & <b> \"c\" 'd'") == "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;")
        #expect(WorkbookWriter.escaped("一\u{1}二\u{0}三\u{FFFE}\r\n四\r五\t六") == "一二三\n四\n五\t六")
        #expect(WorkbookWriter.escaped("_x0041_ and _x00zz_ and _x12345") == "_x005F_x0041_ and _x00zz_ and _x12345")
        let long = String(repeating: "字", count: 40_000)
        #expect(WorkbookWriter.escaped(long).count == WorkbookWriter.cellCharacterLimit)
    }

    @Test("column names and display widths")
    func names() {
        #expect([0, 25, 26, 27, 701, 702].map(WorkbookWriter.columnName) == ["A", "Z", "AA", "AB", "ZZ", "AAA"])
        #expect(WorkbookWriter.displayWidth("受理编号") == 8)
        #expect(WorkbookWriter.displayWidth("YS2018-0001") == 11)
        #expect(WorkbookWriter.displayWidth("ＡＢ，。") == 8)
        #expect(WorkbookWriter.displayWidth("e\u{301}") == 1)
        #expect(WorkbookWriter.displayWidth("𠀀") == 2)
    }

    @Test("cells read back by openpyxl: numbers numeric, dates as the zone's wall clock, text without control characters")
    func readBack() throws {
        let moment = Date(timeIntervalSince1970: 1_526_400_300)  // 2018-05-15T16:05:00Z
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tuibao-writer-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: file) }
        var values: [String] = []
        for zone in ["Asia/Shanghai", "UTC", "America/New_York"] {
            let writer = WorkbookWriter(sheetName: "表'一", columns: [.init(header: "数"), .init(header: "时间"), .init(header: "文字", wraps: true)],
                                        rows: [[.number(3), .date(moment), .text("甲\u{7}乙\n丙 & <丁>")], [.number(2.5), .empty, .empty]],
                                        timeZone: TimeZone(identifier: zone)!)
            try writer.data().write(to: file)
            values.append(try PythonReader.run("""
                import datetime, json, sys, openpyxl
                sheet = openpyxl.load_workbook(sys.argv[1]).active
                def shown(v):
                    return v.isoformat() if isinstance(v, datetime.datetime) else v
                print(json.dumps([sheet.title, sheet.freeze_panes, sheet.auto_filter.ref]
                                 + [[type(c.value).__name__, shown(c.value)] for row in sheet.iter_rows(min_row=2) for c in row],
                                 ensure_ascii=False))
                """, file.path))
        }
        let prefix = ##"["表'一", "A2", "A1:C3", ["int", 3], ["datetime", ""##
        let suffix = ##""], ["str", "甲乙\n丙 & <丁>"], ["float", 2.5], ["NoneType", null], ["NoneType", null]]"## + "\n"
        #expect(values == ["2018-05-16T00:05:00", "2018-05-15T16:05:00", "2018-05-15T12:05:00"].map { prefix + $0 + suffix })
    }
}
