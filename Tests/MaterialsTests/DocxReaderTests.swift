import Foundation
import Testing
@testable import Materials

@Suite struct DocxReaderTests {
    static let expectedParagraphs = [
        "推荐理由",
        "张三同志长期从事量子研究。",
        "第一行\n第二行\t制表",
        "7",
        "文本框内容",
        "锚定段落",
        "主要成就",
        "成果一",
        "成果二",
        "姓名",
        "张三",
        "内表",
        "结束。",
        "注：数据截至2023年。",
        "尾注文字。",
    ]

    @Test func readsEssayParagraphsInReadingOrder() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("essay.docx")
        try DocxFixture.writeEssay(to: url)

        let document = try DocxReader.read(fileAt: url)
        #expect(document.paragraphs == Self.expectedParagraphs)
        #expect(!document.plainText.contains("删除的文字"))
        #expect(!document.plainText.contains("PAGE"))
        #expect(!document.plainText.contains("页眉文字"))
        #expect(!document.plainText.contains("隐藏"))
        #expect(WordCount.count(document.plainText) == 68)
        #expect(document.hasMacros == false)
    }

    @Test func readsTablesWithMergesAndNesting() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("essay.docx")
        try DocxFixture.writeEssay(to: url)

        let tables = try DocxReader.read(fileAt: url).tables
        #expect(tables == [
            DocumentTable(rows: [
                [TableCell(text: "主要成就"), TableCell(text: "成果一\n成果二", columnSpan: 2)],
                [TableCell(text: "", continuesVerticalMerge: true), TableCell(text: "姓名"), TableCell(text: "张三")],
            ]),
            DocumentTable(rows: [[TableCell(text: "内表")]]),
        ])
    }

    @Test func listsMediaWithSizes() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("essay.docx")
        try DocxFixture.writeEssay(to: url)

        #expect(try DocxReader.read(fileAt: url).embeddedFiles == [
            EmbeddedFile(name: "word/media/image1.png", size: 1234),
            EmbeddedFile(name: "word/media/image2.jpeg", size: 56789),
        ])
    }

    @Test func detectsMacrosByPartAndByContentType() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let withProject = dir.appendingPathComponent("a.docx")
        try DocxFixture.writeEssay(to: withProject, extra: [("word/vbaProject.bin", Data([1, 2, 3]))])
        #expect(try DocxReader.read(fileAt: withProject).hasMacros)

        let docm = dir.appendingPathComponent("b.docm")
        try DocxFixture.writeEssay(to: docm, mainType: DocxFixture.macroDocumentType)
        #expect(try DocxReader.read(fileAt: docm).hasMacros)
        #expect(try OOXML.kind(ofFileAt: docm) == .wordDocument(macroEnabled: true))
    }

    @Test func sniffsKinds() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docx = dir.appendingPathComponent("a.docx")
        try DocxFixture.writeEssay(to: docx)
        #expect(try OOXML.kind(ofFileAt: docx) == .wordDocument(macroEnabled: false))

        let xlsx = dir.appendingPathComponent("b.xlsx")
        let types = """
            <?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Override PartName="/xl/workbook.xml" \
            ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>
            """
        try TestSupport.writeZip([("[Content_Types].xml", Data(types.utf8))], to: xlsx)
        #expect(try OOXML.kind(ofFileAt: xlsx) == .spreadsheet(macroEnabled: false))
        #expect(throws: ContainerError.missingPart("word/document.xml")) { try DocxReader.read(fileAt: xlsx) }

        let plainZip = dir.appendingPathComponent("c.zip")
        try TestSupport.writeZip([("readme.txt", Data("hi".utf8))], to: plainZip)
        #expect(try OOXML.kind(ofFileAt: plainZip) == .other)
    }

    @Test func findsMainPartByContentTypeNotByName() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("renamed.docx")
        let types = """
            <?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Override PartName="/word/document2.xml" ContentType="\(DocxFixture.documentType)"/></Types>
            """
        try TestSupport.writeZip([
            ("[Content_Types].xml", Data(types.utf8)),
            ("word/document2.xml", Data(DocxFixture.document(body: DocxFixture.paragraph("正文在这里")).utf8)),
        ], to: url)
        #expect(try DocxReader.read(fileAt: url).paragraphs == ["正文在这里"])
    }

    @Test func refusesDamagedXMLAndDTDs() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let broken = dir.appendingPathComponent("broken.docx")
        try DocxFixture.writeEssay(to: broken, extra: [("word/document.xml", Data("<w:document><w:body>".utf8))])
        #expect(throws: ContainerError.malformedPart("word/document.xml")) { try DocxReader.read(fileAt: broken) }
        let cut = dir.appendingPathComponent("cut.docx")
        let whole = DocxFixture.document(body: DocxFixture.paragraph("被截断的正文"))
        let truncated = Data(whole.utf8.prefix(whole.utf8.count - 30))
        try DocxFixture.writeEssay(to: cut, extra: [("word/document.xml", truncated)])
        #expect(throws: ContainerError.malformedPart("word/document.xml")) { try DocxReader.read(fileAt: cut) }
        let mismatched = dir.appendingPathComponent("mismatched.docx")
        let wrongClose = whole.replacingOccurrences(of: "</w:body>", with: "</w:bodx>")
        try DocxFixture.writeEssay(to: mismatched, extra: [("word/document.xml", Data(wrongClose.utf8))])
        #expect(throws: ContainerError.malformedPart("word/document.xml")) { try DocxReader.read(fileAt: mismatched) }

        let laughs = dir.appendingPathComponent("laughs.docx")
        let dtd = "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
            + "<w:document xmlns:w=\"\(DocxFixture.wordNS)\"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
        try DocxFixture.writeEssay(to: laughs, extra: [("word/document.xml", Data(dtd.utf8))])
        #expect(throws: ContainerError.malformedPart("word/document.xml")) { try DocxReader.read(fileAt: laughs) }
    }

    @Test func readsTheLibreOfficeFixtureLikeAntiword() throws {
        let document = try DocxReader.read(fileAt: try TestSupport.fixture("text-essay-libreoffice.docx"))
        #expect(document.paragraphs == LibreOfficeEssay.docxParagraphs)
        #expect(document.tables == [LibreOfficeEssay.table])
        #expect(WordCount.count(document.plainText) == LibreOfficeEssay.docxWordCount)
    }

    /// python-docx (an independent reader) agrees on the top-level body paragraphs.
    @Test func agreesWithPythonDocxWhenInstalled() throws {
        guard let python = TestSupport.tool("python3"),
              (try? TestSupport.run(python, ["-c", "import docx"]))?.status == 0 else { return }
        let url = try TestSupport.fixture("text-essay-libreoffice.docx")
        let script = "import docx,sys\nfor p in docx.Document(sys.argv[1]).paragraphs:\n    t=p.text.strip()\n    if t: print(t)"
        let result = try TestSupport.run(python, ["-c", script, url.path])
        #expect(result.status == 0)
        let theirs = result.stdout.split(separator: "\n").map(String.init)
        let ours = try DocxReader.read(fileAt: url).paragraphs
        // python-docx skips tables, text boxes and notes; every paragraph it sees we must see, in order.
        var remaining = ours[...]
        for paragraph in theirs {
            guard let index = remaining.firstIndex(of: paragraph) else {
                Issue.record("python-docx paragraph not found in order: \(paragraph)")
                return
            }
            remaining = remaining[(index + 1)...]
        }
        #expect(theirs.count == 6)
    }
}

/// What the committed LibreOffice fixtures (made from text-essay-source.fodt) contain.
enum LibreOfficeEssay {
    static let docxParagraphs = [
        "关于推荐张三同志参评中国科学院杰出科技成就奖的报告",
        "张三同志长期从事量子信息研究，在COVID-19疫情期间仍坚持科研工作，发表论文3.5篇。",
        "Quantum computing, e.g. error-correction, is hard.",
        "第1页",
        "姓名", "张三", "性别", "男",
        "工作单位", "中国科学院物理研究所",
        "文本框内容",
        "锚定段落",
        "最后一段：推荐单位意见。",
        "注：数据截至2023年12月。",
    ]
    static let docxWordCount = 123  // 25 + 36 + 6 + 3 + 7 + 14 + 5 + 4 + 12 + 11

    static let table = DocumentTable(rows: [
        [TableCell(text: "姓名"), TableCell(text: "张三"), TableCell(text: "性别"), TableCell(text: "男")],
        [TableCell(text: "工作单位"), TableCell(text: "中国科学院物理研究所", columnSpan: 3)],
    ])
}
