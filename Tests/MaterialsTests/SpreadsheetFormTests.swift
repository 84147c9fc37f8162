import Foundation
import Testing
@testable import Materials

/// .xlsx forms written by openpyxl (a realistic producer) and by hand (inline strings, rich text).
struct SpreadsheetFormTests {
    private static let openpyxlForm = """
    import sys, datetime
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "推报表"
    ws["A1"] = "附件1 “一所一人一事”推报表"; ws.merge_cells("A1:D1")
    ws["A2"] = "推报单位："; ws["B2"] = "中国科学院物理研究所"; ws.merge_cells("B2:D2")
    ws["A3"] = "推报类型："; ws["B3"] = "□团队 ☑个人"; ws.merge_cells("B3:D3")
    ws["A4"] = "姓　　名"; ws["B4"] = "张三"; ws["C4"] = "性别"; ws["D4"] = "男"
    ws["A5"] = "出生年月"; ws["B5"] = datetime.datetime(1985, 3, 1); ws["B5"].number_format = 'yyyy"年"m"月"'
    ws["C5"] = "职务/职称"; ws["D5"] = "研究员"
    ws["A6"] = "事迹标题"; ws["B6"] = "在极端条件下探索量子材料"; ws.merge_cells("B6:D6")
    ws["A7"] = "事迹简介"; ws.merge_cells("A7:A8")
    ws["B7"] = "长期从事强关联电子体系研究。\\n带领团队建成综合极端条件实验装置。"; ws.merge_cells("B7:D8")
    ws["A9"] = "联系人"; ws["B9"] = "李四"; ws["C9"] = "联系电话"; ws["D9"] = 13800138000
    ws["A10"] = "电子邮箱"; ws["B10"] = "lisi@iphy.ac.cn"; ws.merge_cells("B10:D10")
    other = wb.create_sheet("说明")
    other["A1"] = "填表说明"; other["A2"] = 3.5; other["B2"] = True
    wb.save(sys.argv[1])
    """

    @Test func openpyxlWorkbookReadsAsTables() throws {
        let folder = try ScratchFolder()
        let url = folder.file("附件1推报表.xlsx")
        try CommandLineTool.python(Self.openpyxlForm, [url.path])

        let tables = try FormReader.read(xlsxAt: url)
        #expect(tables.count == 2)
        let sheet = try #require(tables.first)
        #expect(sheet.rows.count == 9) // row 8 holds only the lower half of two merges
        #expect(sheet.rows[0] == [TableCell(text: "附件1 “一所一人一事”推报表", columnSpan: 4)])
        #expect(sheet.rows[1] == [TableCell(text: "推报单位："), TableCell(text: "中国科学院物理研究所", columnSpan: 3)])
        #expect(sheet.rows[4] == [TableCell(text: "出生年月"), TableCell(text: "1985-03-01"),
                                  TableCell(text: "职务/职称"), TableCell(text: "研究员")])
        #expect(sheet.rows[6] == [TableCell(text: "事迹简介"),
                                  TableCell(text: "长期从事强关联电子体系研究。\n带领团队建成综合极端条件实验装置。", columnSpan: 3)])
        #expect(sheet.rows[7] == [TableCell(text: "联系人"), TableCell(text: "李四"), TableCell(text: "联系电话"),
                                  TableCell(text: "13800138000")])
        #expect(tables[1].rows == [[TableCell(text: "填表说明")], [TableCell(text: "3.5"), TableCell(text: "TRUE")]])

        #expect(FormReader.looksLikeForm(fileName: nil, tables: tables))
        let form = try #require(FormReader.read(tables: tables))
        #expect(form == NominationForm(
            unit: "中国科学院物理研究所", category: .individual, nominee: "张三", gender: "男",
            birthDate: YearMonth(year: 1985, month: 3), title: "研究员", deedTitle: "在极端条件下探索量子材料",
            summary: "长期从事强关联电子体系研究。\n带领团队建成综合极端条件实验装置。",
            contact: "李四", phone: "13800138000", email: "lisi@iphy.ac.cn"))
    }

    /// Inline strings, rich-text runs with a phonetic guide, a prefixed namespace, cells without
    /// `r` attributes, a vertical merge at a row's end, and a workbook whose relationship target is absolute.
    @Test func handWrittenWorkbookWithInlineStrings() throws {
        let folder = try ScratchFolder()
        let url = folder.file("form.xlsx")
        try CommandLineTool.python("""
        import sys, zipfile
        ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
        parts = {
          "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
          "xl/workbook.xml": '<?xml version="1.0"?><x:workbook ' + ns + '><x:sheets><x:sheet name="S" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>',
          "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="worksheet" Target="/xl/worksheets/form.xml"/></Relationships>',
          "xl/sharedStrings.xml": '<?xml version="1.0"?><x:sst ' + ns + '><x:si><x:r><x:t>推报</x:t></x:r><x:r><x:t>单位</x:t></x:r><x:rPh sb="0" eb="2"><x:t>tuibao</x:t></x:rPh></x:si><x:si><x:t>中国科学院&amp;声学研究所</x:t></x:si></x:sst>',
          "xl/worksheets/form.xml": '<?xml version="1.0"?><x:worksheet ' + ns + '><x:sheetData>'
            '<x:row r="2"><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c></x:row>'
            '<x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:t>姓名</x:t></x:is></x:c><x:c r="B3" t="inlineStr"><x:is><x:t>郑十一</x:t></x:is></x:c><x:c r="C3" t="inlineStr"><x:is><x:t>照片</x:t></x:is></x:c></x:row>'
            '<x:row r="4"><x:c r="A4" t="str"><x:v>联系电话</x:v></x:c><x:c r="B4"><x:v>1.3800138E10</x:v></x:c></x:row>'
            '</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="C3:C4"/></x:mergeCells></x:worksheet>',
        }
        with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in parts.items():
                z.writestr(name, text)
        """, [url.path])

        let tables = try FormReader.read(xlsxAt: url)
        #expect(tables == [DocumentTable(rows: [
            [TableCell(text: "推报单位"), TableCell(text: "中国科学院&声学研究所")],
            [TableCell(text: "姓名"), TableCell(text: "郑十一"), TableCell(text: "照片")],
            // The lower half of the C3:C4 merge is an empty cell at the row's end, so it is dropped.
            [TableCell(text: "联系电话"), TableCell(text: "13800138000")],
        ])])
        let form = try #require(FormReader.read(tables: tables))
        #expect(form.unit == "中国科学院&声学研究所")
        #expect(form.nominee == "郑十一")
        #expect(form.phone == "13800138000")
    }

    @Test func notAWorkbook() throws {
        let folder = try ScratchFolder()
        let text = try folder.write("x.xlsx", Data("not a zip".utf8))
        #expect(throws: SpreadsheetError.self) { try FormReader.read(xlsxAt: text) }

        let zip = folder.file("empty.xlsx")
        try CommandLineTool.python("import sys, zipfile\nzipfile.ZipFile(sys.argv[1], 'w').writestr('a.txt', 'x')", [zip.path])
        #expect(throws: SpreadsheetError.notAWorkbook("no xl/workbook.xml")) { try FormReader.read(xlsxAt: zip) }
    }
}
