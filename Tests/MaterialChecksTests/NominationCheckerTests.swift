import Foundation
import Intake
import MaterialChecks
import Materials
import Testing

@Suite("Nomination rules over examined materials")
struct NominationCheckerTests {
    let checker = NominationChecker()
    let now = Date(timeIntervalSince1970: 1_526_000_000)

    func form(_ name: String = "附件1：推报表.docx", nominee: String = "韩思远", deed: String = "在接近绝对零度的世界里寻找答案",
              position: String? = "副研究员", phone: String? = "010-82649037") -> MaterialFacts {
        var facts = MaterialFacts(name: name, sha256: "f\(nominee)", size: 30_000, kind: .form, format: "docx")
        facts.form = NominationForm(unit: "物理研究所", category: .individual, nominee: nominee, birthDate: YearMonth(year: 1986, month: 3), title: position,
                                deedTitle: deed, contact: "刘晓燕", phone: phone)
        return facts
    }

    func essay(_ name: String = "征文.docx", words: Int = 2400, text: String = "", embedded: [Int] = []) -> MaterialFacts {
        var facts = MaterialFacts(name: name, sha256: "e\(name)", size: 40_000, kind: .essay, format: "docx")
        facts.wordCount = words
        facts.text = text
        facts.embeddedImages = embedded.enumerated().map { EmbeddedImage(name: "image\($0.offset + 1).jpeg", size: $0.element) }
        return facts
    }

    func image(_ name: String = "照片.jpg", size: Int = 1_200_000) -> MaterialFacts {
        var facts = MaterialFacts(name: name, sha256: "i\(name)", size: size, kind: .image, format: "jpeg")
        facts.image = ImageInfo(format: .jpeg, width: 4000, height: 3000, fileSize: size)
        return facts
    }

    func video(_ name: String = "视频.mp4", mp4: Bool = true, seconds: Double = 420, width: Int = 1920, height: Int = 1080) -> MaterialFacts {
        var facts = MaterialFacts(name: name, sha256: "v\(name)", size: 90_000_000, kind: .video, format: mp4 ? "mp4" : "mov")
        facts.video = VideoFacts(isMP4: mp4, container: mp4 ? "mp4" : "QuickTime .mov", durationSeconds: seconds, width: width, height: height)
        return facts
    }

    func codes(_ result: MessageMaterials) -> [[String]] {
        result.nominations.map { $0.problems.map(\.code.rawValue).sorted() }
    }

    @Test("form, essay of 2400 字 and a 1.2 MB photo: nothing to fix, a receipt")
    func complete() {
        let result = checker.check(files: [form(), essay(), image()], bodyText: "各位老师好", links: [], now: now)
        #expect(codes(result) == [[]])
        #expect(result.action == .acknowledge)
        #expect(result.nominations[0].materialNames == ["附件1：推报表.docx", "征文.docx", "照片.jpg"])
    }

    @Test("an 1,650-字 essay and a 600 KB photo: exactly those two, in plain Chinese, and a correction request")
    func shortEssaySmallPhoto() {
        let result = checker.check(files: [form(), essay(words: 1650), image(size: 614_400)], bodyText: nil, links: [], now: now)
        let problems = result.nominations[0].problems
        #expect(problems.map(\.code) == [.essayTooShort, .imageTooSmall])
        #expect(problems[0].message == "征文“征文.docx”约 1650 字，少于要求的2000～3000字左右（不少于 1800 字）。请补充后重新发送。")
        #expect(problems[1].message == "图片“照片.jpg”为 600 KB，小于 1 MB。请发送未经压缩的原图。")
        #expect(result.action == .correct)
    }

    @Test("a 720p QuickTime video of 3 min 20 s: not mp4, too short, too low — each named")
    func badVideo() {
        let result = checker.check(files: [form(), video("采访.mov", mp4: false, seconds: 200, width: 1280, height: 720)],
                                   bodyText: nil, links: [], now: now)
        let problems = result.nominations[0].problems
        #expect(problems.map(\.code) == [.videoNotMp4, .videoTooShort, .videoLowResolution])
        #expect(problems[1].message == "视频“采访.mov”时长 3分20秒，短于要求的 5分钟～15分钟。")
        #expect(problems[2].message == "视频“采访.mov”分辨率为 1280×720，低于要求的 1920×1080（1080p）。请发送高清原片。")
    }

    @Test("portrait 1080×1920 passes; 20 minutes is too long")
    func videoEdges() {
        #expect(codes(checker.check(files: [form(), video(width: 1080, height: 1920)], bodyText: nil, links: [], now: now)) == [[]])
        #expect(codes(checker.check(files: [form(), video(seconds: 1200)], bodyText: nil, links: [], now: now)) == [["video.tooLong"]])
    }

    @Test("no form, no material: form.missing and material.missing; a link alone is material, pending")
    func missing() {
        #expect(codes(checker.check(files: [image()], bodyText: nil, links: [], now: now)) == [["form.missing", "material.missing"]])
        let link = PendingLink(url: "https://pan.baidu.com/s/1AbC?pwd=k7x2", provider: .baiduPan, code: "k7x2")
        let result = checker.check(files: [form()], bodyText: nil, links: [link], now: now)
        #expect(codes(result) == [["video.pendingLink"]])
        #expect(result.action == .acknowledge)
        #expect(result.nominations[0].problems[0].message
                == "已记录百度网盘下载链接（提取码 k7x2），工作人员下载后将核对视频要求：https://pan.baidu.com/s/1AbC?pwd=k7x2")
    }

    @Test("an essay without images: image.missing; embedded pictures count when one is ≥ 1 MiB, else too small")
    func embeddedImages() {
        #expect(codes(checker.check(files: [form(), essay()], bodyText: nil, links: [], now: now)) == [["image.missing"]])
        #expect(codes(checker.check(files: [form(), essay(embedded: [300_000, 1_100_000])], bodyText: nil, links: [], now: now)) == [[]])
        let small = checker.check(files: [form(), essay(embedded: [300_000, 204_800])], bodyText: nil, links: [], now: now)
        #expect(small.nominations[0].problems.map(\.message)
                == ["征文中嵌入的 2 张图片均小于 1 MB（最大 293 KB），Word 保存时通常会压缩图片。请将原图另作附件发送。"])
    }

    @Test("empty form fields are listed by their labels; a 副所长 nominated as an individual is a warning")
    func formFields() {
        let result = checker.check(files: [form(position: "副所长、研究员", phone: nil), essay(), image()], bodyText: nil, links: [], now: now)
        let problems = result.nominations[0].problems
        #expect(problems.map(\.code) == [.formIncomplete, .nomineeLeader])
        #expect(problems[0].message == "推报表“附件1：推报表.docx”中以下栏目未填写：联系电话。请填写完整后重新发送。")
        #expect(problems[1].severity == .warning)
    }

    @Test("text pasted in the body counts as the essay from 800 字 on")
    func pastedEssay() {
        let pasted = String(repeating: "科研人员在实验室里坚持攻关。", count: 170)  // 14 字 × 170 = 2380
        let result = checker.check(files: [form(), image()], bodyText: pasted, links: [], now: now)
        #expect(codes(result) == [[]])
        #expect(result.nominations[0].essays.first?.name == "邮件正文")
        #expect(result.nominations[0].essays.first?.wordCount == 2380)
    }

    @Test("two forms: materials go with the nominee they name; what names neither is listed for staff")
    func twoNominations() {
        let first = form("推报表-韩思远.docx", nominee: "韩思远", deed: "在接近绝对零度的世界里寻找答案")
        let second = form("推报表-氢能团队.docx", nominee: "氢燃料电池攻关团队", deed: "为中国汽车装上“氢”动力之心")
        let files = [first, second, essay("征文（韩思远）.docx"), essay("征文.docx", text: "为中国汽车装上“氢”动力之心\n……"),
                     image("韩思远1.jpg"), image("合影.jpg")]
        let result = checker.check(files: files, bodyText: nil, links: [], now: now)
        #expect(result.nominations.count == 2)
        #expect(result.nominations[0].materialNames == ["推报表-韩思远.docx", "征文（韩思远）.docx", "韩思远1.jpg"])
        #expect(result.nominations[1].materialNames == ["推报表-氢能团队.docx", "征文.docx"])
        #expect(result.unassigned == ["合影.jpg"])
        #expect(codes(result) == [[], ["image.missing"]])
    }

    @Test("archives count by their members; an unsafe file is an error")
    func containers() {
        var archive = MaterialFacts(name: "推报材料.zip", sha256: "z", size: 2_000_000, kind: .container, format: "zip")
        archive.members = [form(), essay(), image()]
        #expect(codes(checker.check(files: [archive], bodyText: nil, links: [], now: now)) == [[]])
        var exe = MaterialFacts(name: "推报材料.pdf.exe", sha256: "x", size: 4096, kind: .unsafe, format: "exe")
        exe.unsafeReason = "是可执行程序"
        let result = checker.check(files: [archive, exe], bodyText: nil, links: [], now: now)
        #expect(codes(result) == [["attachment.unsafe"]])
        #expect(result.nominations[0].problems[0].message == "附件“推报材料.pdf.exe”是可执行程序，出于安全原因未予处理。请直接发送文档、图片或视频文件。")
    }
}
