import Foundation

/// Builds .docx files at test time from hand-written WordprocessingML parts.
enum DocxFixture {
    static let wordNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let documentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    static let macroDocumentType = "application/vnd.ms-word.document.macroEnabled.main+xml"

    static func contentTypes(mainType: String = documentType, footnotes: Bool = true, endnotes: Bool = true) -> String {
        var overrides = "<Override PartName=\"/word/document.xml\" ContentType=\"\(mainType)\"/>"
        if footnotes {
            overrides += "<Override PartName=\"/word/footnotes.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml\"/>"
        }
        if endnotes {
            overrides += "<Override PartName=\"/word/endnotes.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml\"/>"
        }
        overrides += "<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>\
        \(overrides)</Types>
        """
    }

    static func document(body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:document xmlns:w="\(wordNS)" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" \
        xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" \
        xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" \
        xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" \
        xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"><w:body>\(body)<w:sectPr/></w:body></w:document>
        """
    }

    static func run(_ text: String) -> String { "<w:r><w:t xml:space=\"preserve\">\(text)</w:t></w:r>" }
    static func paragraph(_ text: String) -> String { "<w:p>\(run(text))</w:p>" }

    /// The essay used by most docx tests: every construct the reader must get right.
    static let essayBody = [
        // A tab stop definition in pPr must not become a tab.
        "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>\(run("推荐理由"))</w:p>",
        // Tracked changes: deletion out, insertion in.
        "<w:p>\(run("张三同志"))<w:del w:id=\"1\" w:author=\"a\"><w:r><w:delText>删除的文字</w:delText></w:r></w:del>"
            + "<w:ins w:id=\"2\" w:author=\"a\">\(run("长期从事"))</w:ins>\(run("量子研究。"))"
            + "<w:r><w:footnoteReference w:id=\"1\"/></w:r></w:p>",
        // Line break and tab inside a paragraph.
        "<w:p>\(run("第一行"))<w:r><w:br/><w:t>第二行</w:t><w:tab/><w:t>制表</w:t></w:r></w:p>",
        // A field: code out, result in; a symbol glyph and hidden text out.
        "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\(run("7"))<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
            + "<w:r><w:sym w:font=\"Wingdings\" w:char=\"F04A\"/></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r></w:p>",
        // A text box written twice, as Word does: DrawingML in mc:Choice, VML in mc:Fallback.
        "<w:p>\(run("锚定段落"))<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor>"
            + "<a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>\(paragraph("文本框内容"))</w:txbxContent>"
            + "</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>"
            + "<v:shape><v:textbox><w:txbxContent>\(paragraph("文本框内容"))</w:txbxContent></v:textbox></v:shape>"
            + "</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
        // A table: vertical merge, a 2-column span, a nested table.
        "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
            + "<w:tr><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>\(paragraph("主要成就"))</w:tc>"
            + "<w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>\(paragraph("成果一"))\(paragraph("成果二"))</w:tc></w:tr>"
            + "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc>\(paragraph("姓名"))</w:tc>"
            + "<w:tc>\(paragraph("张三"))<w:tbl><w:tr><w:tc>\(paragraph("内表"))</w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr>"
            + "</w:tbl>",
        paragraph("结束。"),
    ].joined()

    static let footnotes = """
        <?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="\(wordNS)">\
        <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>\
        <w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>\
        <w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>\(run(" 注：数据截至2023年。"))</w:p></w:footnote></w:footnotes>
        """

    static let endnotes = """
        <?xml version="1.0" encoding="UTF-8"?><w:endnotes xmlns:w="\(wordNS)">\
        <w:endnote w:id="1"><w:p>\(run("尾注文字。"))</w:p></w:endnote></w:endnotes>
        """

    static let header = """
        <?xml version="1.0" encoding="UTF-8"?><w:hdr xmlns:w="\(wordNS)">\(paragraph("页眉文字"))</w:hdr>
        """

    /// The essay docx; `extra` adds or replaces parts.
    static func writeEssay(to url: URL, mainType: String = documentType, extra: [(String, Data)] = []) throws {
        var parts: [(String, Data)] = [
            ("[Content_Types].xml", Data(contentTypes(mainType: mainType).utf8)),
            ("word/document.xml", Data(document(body: essayBody).utf8)),
            ("word/footnotes.xml", Data(footnotes.utf8)),
            ("word/endnotes.xml", Data(endnotes.utf8)),
            ("word/header1.xml", Data(header.utf8)),
            ("word/media/image1.png", Data(repeating: 0x89, count: 1234)),
            ("word/media/image2.jpeg", Data(repeating: 0xFF, count: 56789)),
        ]
        for (name, data) in extra {
            parts.removeAll { $0.0 == name }
            parts.append((name, data))
        }
        try TestSupport.writeZip(parts, to: url)
    }
}
