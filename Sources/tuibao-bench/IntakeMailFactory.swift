// The mails of the intake benchmark, built from the files in Samples/files: nomination forms
// (a sample form's Word table with other values), essays (2,000–3,000 字 from a sentence pool,
// in a sample essay's Word layout or as .txt), pictures and videos (the sample bytes made unique
// by a JPEG comment segment or a trailing ISO-BMFF `free` box), as multipart/mixed UTF-8 mail.
// Deterministic for a seed.
import Foundation
import ZIPFoundation

/// A unit as the benchmark's senders see it: registry units and a few that are not in the registry.
struct BenchUnit {
    let name: String
    let domain: String
}

/// One attachment of a generated mail.
struct MailPart {
    let filename: String
    let contentType: String
    let data: Data
}

/// What a generated deed is, kept for the mails that refer to it later.
struct BenchDeed {
    let index: Int
    let unit: BenchUnit
    let senderName: String
    let senderAddress: String
    let nominee: String
    let title: String
    let subject: String
    let mailFile: URL
    /// The essay's paragraphs (nil: the deed has no essay).
    let essay: [String]?
    var trackingNumber: String?
    var action: String?
}

/// A Word document whose `word/document.xml` is rewritten; every other entry is kept as it is.
struct DocxTemplate {
    let entries: [(path: String, data: Data)]
    let document: String

    init(url: URL) throws {
        let archive = try Archive(url: url, accessMode: .read)
        var entries: [(path: String, data: Data)] = []
        for entry in archive where entry.type == .file {
            var data = Data()
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
            entries.append((entry.path, data))
        }
        self.entries = entries
        guard let xml = entries.first(where: { $0.path == "word/document.xml" }) else {
            throw BenchError("\(url.lastPathComponent): no word/document.xml")
        }
        document = String(decoding: xml.data, as: UTF8.self)
    }

    func docx(document: String) throws -> Data {
        let archive = try Archive(accessMode: .create)
        let fixedDate = Date(timeIntervalSince1970: 1_526_000_000)
        for (path, original) in entries {
            let data = path == "word/document.xml" ? Data(document.utf8) : original
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: fixedDate,
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw BenchError("cannot write a docx in memory") }
        return data
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct IntakeMailFactory {
    let units: [BenchUnit]
    let forms: [(template: DocxTemplate, team: Bool)]
    let essayTemplate: DocxTemplate
    let smallPhotos: [Data]
    let bigPhoto: Data
    let video: Data
    let pool: [String]

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤").map(String.init)
    static let givenChars = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力林宇浩然博远思源晨曦欣怡子轩梓涵一鸣志强海燕晓东立新启航国栋冰洁睿雯").map(String.init)
    static let teamTopics = ["量子计算", "深海探测", "高温超导", "空间载荷", "干细胞", "纳米催化", "稀土材料", "高分辨成像", "冻土工程", "大气监测",
                             "脑科学", "作物育种", "海洋牧场", "先进核能", "储能电池", "智能芯片", "引力波", "生物制药", "遥感卫星", "沙漠治理",
                             "青藏高原", "极地科考", "激光聚变", "重离子", "分子筛", "光纤传感", "微生物", "古生物", "地震预警", "碳中和"]
    static let teamLabs = ["关键技术", "装置研制", "基础研究", "应用示范", "野外观测", "交叉创新", "青年突击", "联合攻关", "仪器研发", "工程化",
                           "数据平台", "标准制定", "成果转化", "科普传播", "国际合作"]
    static let teamKinds = ["攻关团队", "创新团队", "研发团队", "科研团队"]
    static let titleOpenings = ["十年磨一剑", "把论文写在祖国大地上", "在无人区点亮星光", "甘坐冷板凳", "让国之重器更强", "向极限发起挑战", "守护一方碧水蓝天",
                                "用数据说话", "在显微镜下追梦", "为了人民的健康", "扎根高原二十年", "从零到一的突破", "仰望星空，脚踏实地", "让科学走进千家万户",
                                "敢啃最硬的骨头", "与时间赛跑", "一颗螺丝钉的坚守", "把实验室搬到野外", "勇闯深海无人区", "为国铸器"]
    static let titleEndings = ["记一位青年科学家的初心", "一支团队的攻坚之路", "只为那一次成功", "书写科技报国新篇章", "打破国外技术封锁",
                               "让中国标准走向世界", "为产业插上科技翅膀", "在平凡中创造不凡", "不负韶华，不负使命", "点燃创新的火种",
                               "把冷门做成热门", "让梦想照进现实", "与大国重器同行", "在坚守中收获", "做别人没做过的事"]

    init(repository: URL, units: [BenchUnit], random: inout SeededRandom) throws {
        self.units = units
        let files = repository.appendingPathComponent("Samples/files")
        // Complete forms, individuals and teams, 2- and 4-column layouts.
        forms = try [("form-ciomp", false), ("form-iccas", false), ("form-wuli", false),
                     ("form-huawu", true), ("form-yaowu", true), ("form-pmo", true)].map {
            (try DocxTemplate(url: files.appendingPathComponent("\($0.0).docx")), $0.1)
        }
        essayTemplate = try DocxTemplate(url: files.appendingPathComponent("essay-ciomp.docx"))
        smallPhotos = try ["photo-a-800x600.jpg", "photo-b-640x480.jpg", "photo-c-1024x683.jpg", "photo-d-1008x756.jpg",
                           "photo-e-1280x720.jpg", "photo-f-1200x900.jpg"].map { try Data(contentsOf: files.appendingPathComponent($0)) }
        bigPhoto = try Data(contentsOf: files.appendingPathComponent("photo-big-1400x1050.jpg"))
        video = try Data(contentsOf: files.appendingPathComponent("video-1920x1080-480s.mp4"))
        pool = DuplicateBenchmark.sentencePool(count: 50_000, random: &random)
    }

    // MARK: materials

    /// A picture with the sample's pixels and new bytes: a COM segment right after SOI.
    static func uniqueJPEG(_ data: Data, tag: String) -> Data {
        let comment = Data("tuibao-bench \(tag)".utf8)
        let length = comment.count + 2
        var out = Data(data.prefix(2))
        out.append(contentsOf: [0xFF, 0xFE, UInt8(length >> 8), UInt8(length & 0xFF)])
        out.append(comment)
        out.append(data.dropFirst(2))
        return out
    }

    /// A video with the sample's frames and new bytes: a top-level `free` box at the end.
    static func uniqueMP4(_ data: Data, tag: String) -> Data {
        let payload = Data("tuibao-bench \(tag)".utf8)
        let size = UInt32(payload.count + 8)
        var out = data
        out.append(contentsOf: [UInt8(size >> 24), UInt8((size >> 16) & 0xFF), UInt8((size >> 8) & 0xFF), UInt8(size & 0xFF)])
        out.append(Data("free".utf8))
        out.append(payload)
        return out
    }

    static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The form's table with new values: each `<w:t>` right after a label's `<w:t>` is replaced.
    static func fillForm(_ xml: String, values: [String: String]) -> String {
        let pattern = try! NSRegularExpression(pattern: "(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)")
        let source = xml as NSString
        var result = "", last = 0
        var previous = ""
        for match in pattern.matches(in: xml, range: NSRange(location: 0, length: source.length)) {
            let text = source.substring(with: match.range(at: 2))
            let label = previous.trimmingCharacters(in: CharacterSet(charactersIn: "：: "))
            if let value = values[label] {
                let textRange = match.range(at: 2)
                result += source.substring(with: NSRange(location: last, length: textRange.location - last))
                result += xmlEscaped(value)
                last = textRange.location + textRange.length
            }
            previous = text
        }
        return result + source.substring(from: last)
    }

    func formDocx(deed: (nominee: String, team: Bool, title: String, unit: String, email: String, contact: String),
                  random: inout SeededRandom) throws -> Data {
        let candidates = forms.filter { $0.team == deed.team }
        let template = candidates[Int.random(in: 0..<candidates.count, using: &random)].template
        var values = ["推报单位": deed.unit, "事迹标题": deed.title, "联系人": deed.contact, "电子邮箱": deed.email,
                      "联系电话": "010-\(Int.random(in: 60_000_000...89_999_999, using: &random))"]
        if deed.team {
            values["团队名称"] = deed.nominee
            values["职务/职称"] = "团队负责人：\(Self.personName(random: &random)) 研究员"
            values["事迹简介"] = "\(deed.nominee)长期坚守科研一线，" + pool.randomElement(using: &random)! + pool.randomElement(using: &random)!
        } else {
            values["姓名"] = deed.nominee
            values["出生年月"] = "\(Int.random(in: 1975...1992, using: &random))年\(Int.random(in: 1...12, using: &random))月"
            values["职务/职称"] = ["研究员", "副研究员", "助理研究员", "高级工程师", "工程师"].randomElement(using: &random)!
            values["事迹简介"] = "\(deed.nominee)同志长期从事科研工作，" + pool.randomElement(using: &random)! + pool.randomElement(using: &random)!
        }
        return try template.docx(document: Self.fillForm(template.document, values: values))
    }

    /// 2,000–3,000 字 about the nominee, in paragraphs of sentences from the pool.
    func essayParagraphs(nominee: String, unit: String, random: inout SeededRandom) -> [String] {
        let target = Int.random(in: 2000...3000, using: &random)
        var paragraphs: [String] = ["\(nominee)是\(unit)的一员。"], length = 0
        while length < target {
            var paragraph = ""
            let size = Int.random(in: 150...400, using: &random)
            while paragraph.unicodeScalars.count < size { paragraph += pool.randomElement(using: &random)! }
            length += paragraph.unicodeScalars.count
            paragraphs.append(paragraph)
        }
        return paragraphs
    }

    /// A revision as units make them after a correction request: one sentence in ten replaced.
    func revised(_ paragraphs: [String], random: inout SeededRandom) -> [String] {
        paragraphs.map { paragraph in
            var sentences = paragraph.split(separator: "。", omittingEmptySubsequences: true).map(String.init)
            for index in sentences.indices where Int.random(in: 0..<10, using: &random) == 0 {
                sentences[index] = String(pool.randomElement(using: &random)!.dropLast())
            }
            return sentences.joined(separator: "。") + (paragraph.hasSuffix("。") ? "。" : "")
        }
    }

    /// The essay in the layout of a sample essay: its title, byline and body paragraph styles.
    func essayDocx(title: String, byline: String, paragraphs: [String]) throws -> Data {
        let xml = essayTemplate.document
        guard let bodyStart = xml.range(of: "<w:body>")?.upperBound, let sectPr = xml.range(of: "<w:sectPr") else {
            throw BenchError("essay template: no body")
        }
        let body = String(xml[bodyStart..<sectPr.lowerBound])
        let paragraphXML = body.components(separatedBy: "</w:p>").filter { $0.contains("<w:p>") }.map { $0 + "</w:p>" }
        guard paragraphXML.count >= 3 else { throw BenchError("essay template: fewer than 3 paragraphs") }
        func paragraph(_ template: String, _ text: String) -> String {
            Self.fillText(template, with: Self.xmlEscaped(text))
        }
        var out = String(xml[..<bodyStart])
        out += paragraph(paragraphXML[0], title) + paragraph(paragraphXML[1], byline)
        for text in paragraphs { out += paragraph(paragraphXML[2], text) }
        out += String(xml[sectPr.lowerBound...])
        return try essayTemplate.docx(document: out)
    }

    /// A paragraph's XML with its (single) text run's text replaced.
    static func fillText(_ paragraph: String, with text: String) -> String {
        guard let open = paragraph.range(of: "<w:t"), let openEnd = paragraph[open.upperBound...].range(of: ">"),
              let close = paragraph.range(of: "</w:t>", range: openEnd.upperBound..<paragraph.endIndex) else { return paragraph }
        return String(paragraph[..<openEnd.upperBound]) + text + String(paragraph[close.lowerBound...])
    }

    static func personName(random: inout SeededRandom) -> String {
        let given = (0..<Int.random(in: 1...2, using: &random)).map { _ in givenChars.randomElement(using: &random)! }.joined()
        return surnames.randomElement(using: &random)! + given
    }

    static func teamName(random: inout SeededRandom) -> String {
        teamTopics.randomElement(using: &random)! + teamLabs.randomElement(using: &random)! + teamKinds.randomElement(using: &random)!
    }

    static func title(random: inout SeededRandom) -> String {
        titleOpenings.randomElement(using: &random)! + "——" + titleEndings.randomElement(using: &random)!
    }

    static func panLink(random: inout SeededRandom) -> String {
        let letters = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let id = String((0..<22).map { _ in letters.randomElement(using: &random)! })
        let code = String((0..<4).map { _ in letters.randomElement(using: &random)! }).lowercased()
        return "视频文件较大，已通过百度网盘发送：链接: https://pan.baidu.com/s/1\(id) 提取码: \(code)"
    }

    // MARK: the message

    /// RFC 2047 encoded words (UTF-8, base64), at most 45 bytes of text each, folded.
    static func encodedWords(_ text: String) -> String {
        if text.allSatisfy({ $0.isASCII && !$0.isNewline }) { return text }
        var words: [String] = [], chunk = Data()
        for character in text {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    static let dateFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        return formatter
    }()

    static func date(mailIndex: Int) -> String {
        dateFormatter.string(from: Date(timeIntervalSince1970: 1_526_259_600 + Double(mailIndex) * 97))
    }

    /// The header block of a generated mail (without the MIME headers).
    static func headers(from name: String, address: String, subject: String, messageId: String, mailIndex: Int,
                        extra: [String] = []) -> [String] {
        ["Return-Path: <\(address)>",
         "From: \(encodedWords(name)) <\(address)>",
         "To: \"xcb\" <xcb@cashq.ac.cn>",
         "Subject: \(encodedWords(subject))",
         "Date: \(date(mailIndex: mailIndex))",
         "Message-ID: <\(messageId)>",
         "X-Mailer: tuibao-bench"] + extra
    }

    static func mail(headers: [String], body: String, parts: [MailPart], boundary: String) -> Data {
        var lines = headers + ["MIME-Version: 1.0"]
        func base64(_ data: Data) -> String { data.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]) }
        lines += ["Content-Type: multipart/mixed; boundary=\"\(boundary)\"", "", "This is a multi-part message in MIME format.", "",
                  "--\(boundary)", "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64", "",
                  base64(Data(body.replacingOccurrences(of: "\n", with: "\r\n").utf8))]
        for part in parts {
            let percent = part.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
            lines += ["--\(boundary)",
                      "Content-Type: \(part.contentType);\r\n\tname=\"\(encodedWords(part.filename).replacingOccurrences(of: "\r\n ", with: " "))\"",
                      "Content-Transfer-Encoding: base64",
                      "Content-Disposition: attachment;\r\n\tfilename*=UTF-8''\(percent)", "", base64(part.data)]
        }
        lines += ["--\(boundary)--", ""]
        return Data(lines.joined(separator: "\r\n").utf8)
    }

    /// The same mail with other header lines: a resend (new Message-ID and Date) or a colleague's copy (also From).
    static func rewritingHeaders(of raw: Data, _ replace: [String: String]) -> Data {
        let separator = Data("\r\n\r\n".utf8)
        guard let end = raw.range(of: separator) else { return raw }
        let header = String(decoding: raw[..<end.lowerBound], as: UTF8.self)
        // Unfold first, so a folded Subject or From is replaced whole.
        let lines = header.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: "\t")
            .components(separatedBy: "\r\n")
        let rewritten = lines.map { line -> String in
            guard let colon = line.firstIndex(of: ":") else { return line }
            let name = String(line[..<colon])
            return replace[name].map { "\(name): \($0)" } ?? line
        }
        return Data(rewritten.joined(separator: "\r\n").utf8) + raw[end.lowerBound...]
    }
}
