import Foundation
import TestSupport
import Testing
@testable import MIME

@Suite("Composing replies")
struct MailComposerTests {
    static let mail = OutgoingMail(
        from: Mailbox(name: "中国科学院党的建设工作领导小组办公室", address: "xcb@cashq.ac.cn"),
        to: Mailbox(name: "物理所党委办公室", address: "dangban@iphy.ac.cn"),
        subject: "【YS2018-0001】受理回执：【一所一人一事】物理研究所推报材料（韩思远）——关于超导量子计算团队的先进事迹征文及代表性图片",
        body: "物理所党委办公室：\n\n您好！您报送的推报材料已收到。\n受理编号：YS2018-0001\n",
        messageId: "tuibao-abc@cashq.ac.cn", inReplyTo: "orig@iphy.ac.cn", references: ["a@iphy.ac.cn", "orig@iphy.ac.cn"],
        date: Date(timeIntervalSince1970: 1_526_261_462), headers: [HeaderField(name: "Auto-Submitted", value: "auto-replied")])

    func roundTrip(_ mail: OutgoingMail) throws -> (Data, ParsedMessage) {
        let data = MailComposer.compose(mail)
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("reply.eml")
        try data.write(to: file)
        return (data, try MessageParser().parse(fileAt: file.path))
    }

    @Test("parses back to exactly the intended headers and body; CRLF, base64, ASCII-only on the wire")
    func roundTripExact() throws {
        let (data, parsed) = try roundTrip(Self.mail)
        #expect(parsed.headers.subject == Self.mail.subject)
        #expect(parsed.headers.from == [Self.mail.from])
        #expect(parsed.headers.to == [Self.mail.to])
        #expect(parsed.headers.messageId == "tuibao-abc@cashq.ac.cn")
        #expect(parsed.headers.inReplyTo == "orig@iphy.ac.cn")
        #expect(parsed.headers.references == ["a@iphy.ac.cn", "orig@iphy.ac.cn"])
        #expect(parsed.headers.autoSubmitted == "auto-replied")
        #expect(parsed.headers.date?.iso8601 == "2018-05-14T09:31:02+08:00")
        #expect(parsed.bodyText == Self.mail.body)
        #expect(data.allSatisfy { $0 < 0x80 })
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(text.contains("Content-Transfer-Encoding: base64"))
        #expect(text.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 998 })
    }

    @Test("an encoded CR LF Bcc: in a subject does not add a header")
    func headerInjection() throws {
        var mail = Self.mail
        mail.subject = "推报\r\nBcc: all@cashq.ac.cn"
        mail.to = Mailbox(name: "x\r\nBcc: evil@example.com", address: "dangban@iphy.ac.cn")
        let (data, parsed) = try roundTrip(mail)
        #expect(parsed.headers.values(named: "Bcc").isEmpty)
        #expect(parsed.headers.subject == "推报 Bcc: all@cashq.ac.cn")
        #expect(parsed.headers.to.count == 1)
        #expect(!String(decoding: data, as: UTF8.self).contains("\r\nBcc:"))
    }
}
