import Foundation
import Testing
@testable import Materials

@Suite struct PDFTextReaderTests {
    /// A minimal PDF with the standard Helvetica font, one content stream per page.
    static func asciiPDF(pages: [String]) -> Data {
        var objects: [String] = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "", // pages, filled below
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var kids: [String] = []
        for content in pages {
            let contentNumber = objects.count + 1
            objects.append("<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream")
            kids.append("\(objects.count + 1) 0 R")
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                + "/Resources << /Font << /F1 3 0 R >> >> /Contents \(contentNumber) 0 R >>")
        }
        objects[1] = "<< /Type /Pages /Kids [\(kids.joined(separator: " "))] /Count \(pages.count) >>"
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { pdf += String(format: "%010d 00000 n \n", offset) }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(pdf.utf8)
    }

    static let twoPages = asciiPDF(pages: [
        "BT /F1 12 Tf 72 720 Td (First paragraph line one) Tj 0 -14 Td (line two ends here.) Tj "
            + "0 -60 Td (Second paragraph.) Tj ET",
        "BT /F1 12 Tf 72 720 Td (Page two text.) Tj ET",
    ])

    static func script(_ body: String, in dir: URL) throws -> URL {
        let url = dir.appendingPathComponent("fake-pdftotext-\(UUID().uuidString)")
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url
    }

    @Test func splitsParagraphsOnBlankLinesAndPages() {
        let output = "第一段第一行\n第一段第二行\n\nLatin line\nwraps here\n\u{0C}第二页\n\n\u{0C}"
        #expect(PDFTextReader.paragraphs(fromPdftotext: output) == [
            "第一段第一行第一段第二行", "Latin line wraps here", "第二页",
        ])
        #expect(PDFTextReader.paragraphs(fromPdftotext: "") == [])
        #expect(PDFTextReader.paragraphs(fromPdftotext: "中文\nEnglish") == ["中文English"])
    }

    @Test func readsAHandWrittenPDF() throws {
        guard TestSupport.tool("pdftotext") != nil else { return }
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("two.pdf")
        try Self.twoPages.write(to: url)
        #expect(try PDFTextReader.read(fileAt: url).paragraphs == [
            "First paragraph line one line two ends here.", "Second paragraph.", "Page two text.",
        ])
    }

    @Test func readsChineseText() throws {
        guard TestSupport.tool("pdftotext") != nil else { return }
        let document = try PDFTextReader.read(fileAt: try TestSupport.fixture("text-chinese.pdf"))
        #expect(document.paragraphs == ["推荐理由张三同志长期从事量子信息研究，发表论文3.5篇。", "第二页：COVID-19研究。"])
        #expect(WordCount.count(document.plainText) == 26 + 8)
    }

    @Test func reportsEncryptedPDF() throws {
        guard TestSupport.tool("pdftotext") != nil else { return }
        #expect(throws: PDFTextReader.ReadError.encrypted) {
            try PDFTextReader.read(fileAt: try TestSupport.fixture("text-encrypted.pdf"))
        }
    }

    @Test func refusesNonPDFsAndOversizedFiles() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = dir.appendingPathComponent("a.pdf")
        try Data("just text".utf8).write(to: text)
        #expect(throws: PDFTextReader.ReadError.notAPDF) { try PDFTextReader.read(fileAt: text) }
        #expect(throws: PDFTextReader.ReadError.notAPDF) {
            try PDFTextReader.read(fileAt: dir.appendingPathComponent("missing.pdf"))
        }
        let pdf = dir.appendingPathComponent("b.pdf")
        try Self.twoPages.write(to: pdf)
        #expect(throws: PDFTextReader.ReadError.tooLarge) {
            try PDFTextReader.read(fileAt: pdf, options: .init(maxFileBytes: 100))
        }
    }

    @Test func reportsToolProblems() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = dir.appendingPathComponent("b.pdf")
        try Self.twoPages.write(to: pdf)

        #expect(throws: PDFTextReader.ReadError.toolMissing) {
            try PDFTextReader.read(fileAt: pdf, options: .init(toolPath: dir.appendingPathComponent("nope")))
        }
        let slow = try Self.script("exec sleep 30", in: dir)
        #expect(throws: PDFTextReader.ReadError.timedOut) {
            try PDFTextReader.read(fileAt: pdf, options: .init(toolPath: slow, timeout: .milliseconds(300)))
        }
        let chatty = try Self.script("exec yes 字数", in: dir)
        #expect(throws: PDFTextReader.ReadError.outputTooLarge) {
            try PDFTextReader.read(fileAt: pdf, options: .init(toolPath: chatty, maxOutputBytes: 1 << 20))
        }
        let failing = try Self.script("echo 'Syntax Error: broken xref' >&2; exit 7", in: dir)
        #expect(throws: PDFTextReader.ReadError.failed(status: 7, stderr: "Syntax Error: broken xref\n")) {
            try PDFTextReader.read(fileAt: pdf, options: .init(toolPath: failing))
        }
        // stdin is /dev/null: a tool that reads it ends at once instead of hanging.
        let reader = try Self.script("cat; echo done", in: dir)
        #expect(try PDFTextReader.read(fileAt: pdf, options: .init(toolPath: reader, timeout: .seconds(20))).paragraphs
            == ["done"])
    }
}
