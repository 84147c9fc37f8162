import Crypto
import Foundation
import Intake
import MIME
import Materials
import Store
import Testing
@testable import Gateway

/// The pure parts of review by e-mail: the signed token, reading a score cell as typed, the
/// key file, and an outgoing mail with attachments read back by our own parser.
@Suite("Review mail logic")
struct ReviewMailLogicTests {
    static var key: SymmetricKey { SymmetricKey(data: Data(repeating: 7, count: 32)) }

    @Test("token: verifies with its key; a changed MAC, round, reviewer or key is forged; other text is not a token")
    func token() {
        let text = ReviewToken(roundId: 3, reviewer: "jia@iphy.ac.cn").text(key: Self.key)
        #expect(text.hasPrefix("tuibao-review/1/3/jia@iphy.ac.cn/") && text.count == "tuibao-review/1/3/jia@iphy.ac.cn/".count + 32)
        #expect(ReviewToken.read(text, key: Self.key) == .valid(ReviewToken(roundId: 3, reviewer: "jia@iphy.ac.cn")))
        #expect(ReviewToken.read(" \(text)\n", key: Self.key) == .valid(ReviewToken(roundId: 3, reviewer: "jia@iphy.ac.cn")))
        #expect(ReviewToken.read(text.replacingOccurrences(of: "/3/", with: "/4/"), key: Self.key) == .forged)
        #expect(ReviewToken.read(text.replacingOccurrences(of: "jia@", with: "yi@"), key: Self.key) == .forged)
        #expect(ReviewToken.read(String(text.dropLast()) + (text.hasSuffix("0") ? "1" : "0"), key: Self.key) == .forged)
        #expect(ReviewToken.read(text, key: SymmetricKey(data: Data(repeating: 8, count: 32))) == .forged)
        #expect(ReviewToken.read("tuibao-review/1/x", key: Self.key) == .forged)
        #expect(ReviewToken.read("YS2018-0001", key: Self.key) == nil)
    }

    @Test("score cells: numbers within 1–10 (full-width digits, a trailing 分), empty, out of range, unreadable")
    func cells() {
        #expect(ReviewSheet.cell("8") == .value(8))
        #expect(ReviewSheet.cell(" 7.5 ") == .value(7.5))
        #expect(ReviewSheet.cell("９") == .value(9))
        #expect(ReviewSheet.cell("８．５分") == .value(8.5))
        #expect(ReviewSheet.cell("10") == .value(10))
        #expect(ReviewSheet.cell("1") == .value(1))
        #expect(ReviewSheet.cell("") == .empty)
        #expect(ReviewSheet.cell("11") == .outOfRange("11"))
        #expect(ReviewSheet.cell("0.5") == .outOfRange("0.5"))
        #expect(ReviewSheet.cell("-3") == .outOfRange("-3"))
        #expect(ReviewSheet.cell("八分") == .unreadable("八分"))
        #expect(ReviewSheet.cell("nan") == .unreadable("nan"))
        #expect(ReviewSheet.cell("1e1") == .unreadable("1e1"))
        #expect(ReviewSheet.cell("8/10") == .unreadable("8/10"))
    }

    static func sheet(_ name: String, hidden: Bool = false, _ rows: [[String]]) -> WorkbookSheet {
        WorkbookSheet(name: name, isHidden: hidden, table: DocumentTable(rows: rows.map { $0.map { TableCell(text: $0) } }))
    }

    @Test("a returned workbook: the token sheet makes it ours; columns found by header; short rows, stray rows and a renamed tab read safely")
    func reading() {
        let layout = ReviewSheet(criteria: [ReviewCriterion(name: "感染力", weight: 1), ReviewCriterion(name: "材料质量", weight: 1)])
        let token = ["token", "tuibao-review/1/1/jia@iphy.ac.cn/00"]
        // No token sheet, or a token sheet without a token of ours: not a scoring sheet.
        #expect(layout.read([Self.sheet("Sheet1", [["受理编号"]])]) == nil)
        #expect(layout.read([Self.sheet("tuibao", hidden: true, [["token"]])]) == nil)
        #expect(layout.read([Self.sheet("tuibao", hidden: true, [["token", "YS2018-0001"]])]) == nil)
        // The tab renamed, the columns moved, a short row, a row without a tracking number.
        let returned = layout.read([
            Self.sheet("我的评分", [["标题行"], ["受理编号", "评语（选填）", "材料质量（1–10）", "感染力(满分10)"],
                                    ["YS2018-0002", "好", "8", "7.5"], ["YS2018-0003"], ["", "", "9"]]),
            Self.sheet("tuibao", hidden: true, [token]),
        ])
        #expect(returned?.token == token[1])
        #expect(returned?.missingColumns == [])
        #expect(returned?.rows.map(\.trackingNumber) == ["YS2018-0002", "YS2018-0003"])
        #expect(returned?.rows.first?.cells == ["感染力": "7.5", "材料质量": "8"])
        #expect(returned?.rows.first?.comment == "好")
        #expect(returned?.rows.last?.cells == ["感染力": "", "材料质量": ""])
        // A table without its header row: ours, with every criterion missing.
        #expect(layout.read([Self.sheet("评分表", [["YS2018-0002", "8"]]), Self.sheet("tuibao", hidden: true, [token])])?.missingColumns
            == ["感染力", "材料质量"])
    }

    @Test("key: made once with mode 0600 and read back; intake makes none; a damaged file is an error")
    func keyFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tuibao-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try ReviewKey.load(dataDirectory: directory, create: false, environment: [:]) == nil)
        let made = try #require(try ReviewKey.load(dataDirectory: directory, create: true, environment: [:]))
        let file = directory.appendingPathComponent("review.key")
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600)
        let again = try #require(try ReviewKey.load(dataDirectory: directory, create: false, environment: [:]))
        #expect(made == again)
        #expect(Hex.bytes("0aFf10") == Data([0x0A, 0xFF, 0x10]) && Hex.bytes("0g") == nil && Hex.bytes("abc") == nil)
        // The credential wins over the file.
        let credential = try #require(try ReviewKey.load(dataDirectory: directory, create: false, environment: ["TUIBAO_REVIEW_KEY": "口令"]))
        #expect(credential != made)
        try Data("damaged\n".utf8).write(to: file)
        #expect(throws: ConfigurationError.self) { try ReviewKey.load(dataDirectory: directory, create: false, environment: [:]) }
    }

    @Test("an outgoing mail with a Chinese-named .xlsx and a .zip: multipart/mixed, names, sizes and hashes exact when parsed back")
    func attachments() throws {
        let sheet = Data((0..<5000).map { UInt8($0 % 251) }), archive = Data(repeating: 0x50, count: 70_001)
        var mail = OutgoingMail(from: Mailbox(name: "办公室", address: "xcb@cashq.ac.cn"), to: Mailbox(name: nil, address: "jia@iphy.ac.cn"),
                                subject: "【评审】评分表", body: "甲：\n您好！", messageId: "t-1@cashq.ac.cn", inReplyTo: nil, references: [],
                                date: Date(timeIntervalSince1970: 1_538_964_000))
        mail.attachments = [OutgoingAttachment(filename: "评分表-2018 年度-甲.xlsx",
                                               mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data: sheet),
                            OutgoingAttachment(filename: "../评审材料/甲.zip", mediaType: "application/zip", data: archive)]
        let bytes = MailComposer.compose(mail)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tuibao-compose-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("mail.eml")
        try bytes.write(to: file)
        let parsed = try MessageParser().parse(fileAt: file.path, attachmentDirectory: directory.path)
        #expect(parsed.headers.subject == "【评审】评分表")
        #expect(parsed.attachments.map(\.filename) == ["评分表-2018 年度-甲.xlsx", ".._评审材料_甲.zip"])
        #expect(parsed.attachments.map(\.size) == [5000, 70_001])
        #expect(parsed.attachments.map(\.sha256) == [sheet, archive].map { SHA256.hash(data: $0).map { String(format: "%02x", $0) }.joined() })
        #expect(String(decoding: bytes, as: UTF8.self).contains("Content-Type: multipart/mixed"))
    }
}
