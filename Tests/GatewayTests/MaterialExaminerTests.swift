import Foundation
import Gateway
import Intake
import MaterialChecks
import Store
import Testing

/// The examiner picks the reader by content and turns what it reads into facts; these run it on
/// the committed sample files and on a few hand-made ones.
@Suite("Examining real files")
struct MaterialExaminerTests {
    static let files = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Samples/files")
    let examiner = MaterialExaminer()

    func examine(_ name: String, as displayName: String? = nil) throws -> MaterialFacts {
        let url = Self.files.appendingPathComponent(name)
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
        return examiner.examine(fileAt: url, name: displayName ?? name, sha256: try Hex.sha256(fileAt: url), size: size)
    }

    func scratch(_ bytes: [UInt8], name: String) throws -> MaterialFacts {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("examine-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(bytes).write(to: url)
        return examiner.examine(fileAt: url, name: name, sha256: String(repeating: "0", count: 64), size: bytes.count)
    }

    @Test("a form docx gives its fields; an essay docx its 字数; a photo its size; an mp4 its duration")
    func samples() throws {
        let form = try examine("form-wuli.docx", as: "附件1：推报表（物理所）.docx")
        #expect(form.kind == .form)
        #expect(form.form?.nominee == "韩思远" && form.form?.category == .individual)
        let essay = try examine("essay-wuli.docx", as: "征文.docx")
        #expect(essay.kind == .essay && essay.format == "docx")
        #expect((1800...3300).contains(essay.wordCount ?? 0))
        let photo = try examine("photo-big-1400x1050.jpg", as: "照片.JPG")
        #expect(photo.kind == .image && photo.image?.width == 1400 && photo.image?.height == 1050 && photo.size >= 1_048_576)
        let video = try examine("video-1920x1080-480s.mp4")
        #expect(video.kind == .video && video.video?.isMP4 == true && video.video?.width == 1920)
        #expect(abs((video.video?.durationSeconds ?? 0) - 480) < 1)
        let mov = try examine("video-1920x1080-480s.mov")
        #expect(mov.video?.isMP4 == false && mov.video?.container == "QuickTime .mov")
    }

    @Test("content wins over the name: a PNG called .mp4 is a picture, an AVI is a video that is not mp4")
    func byContent() throws {
        let png = try examine("outlook-signature-logo.png", as: "视频.mp4")
        #expect(png.kind == .image && png.format == "png")
        let avi = try scratch(Array("RIFF".utf8) + [0x10, 0, 0, 0] + Array("AVI LIST".utf8) + Array(repeating: 0, count: 32), name: "采访.avi")
        #expect(avi.kind == .video && avi.video?.isMP4 == false && avi.video?.container == "AVI")
        let checked = NominationChecker().check(files: [avi], bodyText: nil, links: [], now: Date())
        #expect(checked.nominations[0].problems.map(\.code) == [.formMissing, .videoNotMp4])
    }

    @Test("unsafe: a PE behind a .pdf.exe name, a macro document, an encrypted 7z")
    func unsafe() throws {
        var pe = [UInt8](repeating: 0, count: 256)
        pe[0] = 0x4D; pe[1] = 0x5A; pe[0x3C] = 0x80
        pe[0x80] = 0x50; pe[0x81] = 0x45
        let exe = try scratch(pe, name: "推报材料.pdf.exe")
        #expect(exe.kind == .unsafe && exe.unsafeReason == "是可执行程序")
        let docm = try examine("essay-siat.docm")
        #expect(docm.kind == .unsafe && docm.unsafeReason == "是含宏的文档")
        let sevenZip = try examine("materials-siat-encrypted.7z")
        #expect(sevenZip.kind == .unsafe && sevenZip.unsafeReason == "是加密的压缩包，无法打开")
    }

    @Test("a scanned PDF and a GB18030 text file")
    func textFormats() throws {
        let scan = try examine("essay-iccas-scan.pdf")
        #expect(scan.kind == .essay && scan.unreadable == "文件中没有可读取的文字，可能是扫描件或图片")
        let text = try examine("essay-impcas.txt")
        #expect(text.kind == .essay && text.format == "txt" && text.text?.contains("䶮") == true)
    }
}

@Suite("Forms without tables")
struct FormWithoutTablesTests {
    @Test("a Word 97–2003 .doc form (LibreOffice's conversion of sample 01's form) is read as a form")
    func legacyWord() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/examiner/form-wuli.doc")
        let facts = MaterialExaminer().examine(fileAt: url, name: "附件1推报表.doc", sha256: try Hex.sha256(fileAt: url), size: 12_800)
        #expect(facts.kind == .form && facts.format == "doc")
        #expect(facts.form?.nominee == "韩思远" && facts.form?.category == .individual)
        #expect(facts.form?.deedTitle == "在接近绝对零度的世界里寻找答案")
        #expect(facts.form?.unit?.contains("物理研究所") == true)
    }

    @Test("a form saved as .txt (cells one per line, as .doc and .pdf give them) is read as a form")
    func paragraphs() throws {
        let lines = ["附件1", "“一所一人一事”先进事迹征集评选活动推报表", "推报单位", "中国科学院物理研究所", "推报类型", "个人",
                     "姓名", "韩思远", "职务/职称", "副研究员", "事迹标题", "在接近绝对零度的世界里寻找答案",
                     "联系人", "刘晓燕", "联系电话", "010-82649037"]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("form-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: url) }
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        let facts = MaterialExaminer().examine(fileAt: url, name: "推报表.txt", sha256: String(repeating: "1", count: 64), size: 300)
        #expect(facts.kind == .form)
        #expect(facts.form?.unit == "中国科学院物理研究所" && facts.form?.nominee == "韩思远" && facts.form?.category == .individual)
        #expect(facts.form?.deedTitle == "在接近绝对零度的世界里寻找答案" && facts.form?.phone == "010-82649037")
    }
}

@Suite("Links in a mail's text")
struct LinkCapTests {
    @Test("a mail with 3,000 download links keeps the first 20, in order")
    func capped() {
        let text = (1...3000).map { "视频 https://pan.baidu.com/s/1abc\($0)def 提取码：k\($0 % 10)x9" }.joined(separator: "\n")
        let links = MaterialExaminer().links(in: text)
        #expect(links.count == MaterialExaminer.maximumLinks)
        #expect(links.map(\.url) == (1...20).map { "https://pan.baidu.com/s/1abc\($0)def" })
        #expect(links.first?.code == "k1x9")
    }
}
