import CGMime
import Foundation
import TestSupport
import Testing
@testable import MIME

/// Hostile and damaged mail: header blocks are bounded before GMime reads them, and damage that
/// mail clients repair is repaired (see `HeaderRepair` and the README's "Damaged and hostile mail").
@Suite("Damaged and hostile mail")
struct DamagedMailTests {
    /// 5,000 bytes standing in for a .docx; its SHA-256 was computed by Python's hashlib.
    static let document: [UInt8] = (0..<5_000).map { UInt8(($0 * 7 + 3) % 256) }
    static let documentSHA256 = "34398b85297bf7d9dfb59b8d511d8bbb44ab23e891570e4395e7871475fc8afb"
    static var documentBase64: String {
        Data(document).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]) + "\r\n"
    }

    static let multipartHead = """
        From: =?UTF-8?B?5byg5LiJ?= <zhang@example.cn>\r
        To: tuibao@example.cn\r
        Subject: =?UTF-8?B?5o6o5oql5p2Q5paZ?=\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="BB"\r
        \r
        --BB\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        推荐理由见附件。\r

        """

    func parse(_ text: String, limits: ParseLimits = ParseLimits()) throws -> ParsedMessage {
        try parse(Array(text.utf8), limits: limits)
    }

    func parse(_ bytes: [UInt8], limits: ParseLimits = ParseLimits()) throws -> ParsedMessage {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("message.eml")
        try Data(bytes).write(to: file)
        return try MessageParser(limits: limits).parse(fileAt: file.path)
    }

    // MARK: Bounds (issue 13, item 1)

    @Test("From: with 40,625 nested groups: no crash, sender unknown, the rest of the message read")
    func nestedGroupsInFrom() throws {
        let text = "From: " + String(repeating: "a:", count: 40_625) + "\r\nTo: tuibao@example.cn\r\nSubject: groups\r\n\r\nbody\r\n"
        let start = ContinuousClock.now
        let message = try parse(text)
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(message.headers.from.isEmpty)
        #expect(message.headers.to == [Mailbox(name: nil, address: "tuibao@example.cn")])
        #expect(message.headers.subject == "groups")
        #expect(message.bodyText == "body\n")
        let codes = Set(message.warnings.map(\.code))
        #expect(codes.isSuperset(of: [.addressGroupsTooDeep, .headerTooLong]))
    }

    @Test("nested groups in a forwarded message and in a digest entry are bounded too")
    func nestedGroupsInsideParts() throws {
        let groups = String(repeating: "a:", count: 40_625)
        let text = """
            From: zhang@example.cn\r
            Subject: outer\r
            Content-Type: multipart/mixed; boundary="OUT"\r
            \r
            --OUT\r
            Content-Type: message/rfc822\r
            \r
            From: \(groups)\r
            Subject: forwarded\r
            \r
            forwarded body\r
            --OUT\r
            Content-Type: multipart/digest; boundary="DIG"\r
            \r
            --DIG\r
            \r
            From: \(groups)\r
            Subject: digest entry\r
            \r
            digest body\r
            --DIG--\r
            --OUT--\r

            """
        let message = try parse(text)
        #expect(message.headers.from == [Mailbox(name: nil, address: "zhang@example.cn")])
        #expect(message.forwarded.map(\.subject) == ["forwarded", "digest entry"])
        #expect(message.forwarded.allSatisfy { $0.from.isEmpty })
        #expect(message.warnings.contains { $0.code == .addressGroupsTooDeep })
    }

    @Test("group members are read in order, nested groups in place")
    func groupMembersInOrder() throws {
        let message = try parse("From: zhang@example.cn\r\nTo: g1: a@x.cn, g2: b@x.cn;, c@x.cn;, d@x.cn\r\nSubject: s\r\n\r\nbody\r\n")
        #expect(message.headers.to.map(\.address) == ["a@x.cn", "b@x.cn", "c@x.cn", "d@x.cn"])
        #expect(message.warnings.isEmpty)
    }

    @Test("a 3.6 MB message with CR-only line ends is one header: cut, bounded, first sender kept")
    func carriageReturnOnlyLineEnds() throws {
        // A chat log pasted as the body: every line has colons (times, labels).
        var text = "From: =?UTF-8?B?5byg5LiJ?= <zhang@example.cn>\rTo: tuibao@example.cn\rSubject: cr\r"
            + "Content-Type: text/plain; charset=utf-8\r\r"
        for line in 0..<60_000 { text += "2018-05-14 09:31:02 推报材料: 一所一人一事: 第\(line)条\r" }
        let bytes = Array(text.utf8)
        #expect(bytes.count > 3_600_000)
        let start = ContinuousClock.now
        let message = try parse(bytes)
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(message.rawSize == Int64(bytes.count))
        #expect(message.headers.from.first == Mailbox(name: "张三", address: "zhang@example.cn"))
        #expect(message.headers.subject == nil)
        #expect(message.bodyText.isEmpty)
        let codes = Set(message.warnings.map(\.code))
        #expect(codes.isSuperset(of: [.headerTooLong, .addressGroupsTooDeep]))
    }

    @Test("2,000 edited headers make a GMime stream of few pieces, and parse")
    func manyEditedHeaders() throws {
        // Each Cc is over the colon budget, so each is rewritten. GMime appends a stream source by
        // walking all earlier ones: 50,000 pieces took minutes, so short file runs are read in.
        let line = "Cc: " + String(repeating: "a:", count: 65) + "\r\n"
        let text = "From: zhang@example.cn\r\nSubject: many\r\n" + String(repeating: line, count: 2_000) + "\r\nbody\r\n"
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("many.eml")
        try Data(text.utf8).write(to: file)
        let options = GMimeRuntime.makeOptions()
        defer { g_mime_parser_options_free(options) }
        let stream = try #require(g_mime_stream_fs_open(file.path, O_RDONLY, 0, nil))
        defer { cgmime_unref(stream) }
        let input = ParseInput.prepare(stream, range: 0..<Int64(text.utf8.count), limits: ParseLimits(), options: options)
        #expect(input.pieces.count == 1)
        let message = try MessageParser().parse(fileAt: file.path)
        #expect(message.headers.subject == "many")
        // Past the budget "a:a:…a:a:" ends in "a a", read as one mailbox without a domain.
        #expect(Set(message.headers.cc.map(\.address)) == ["a"])
        #expect(message.bodyText == "body\n")
    }

    // MARK: Repairs (issue 13, item 4)

    @Test("white space before the first header is skipped",
          arguments: [String(repeating: " ", count: 255) + "\n", "   ", "\r\n", " \t\r\n\r\n"])
    func whiteSpaceBeforeFirstHeader(_ prefix: String) throws {
        let text = prefix + Self.multipartHead + """
            --BB\r
            Content-Type: application/octet-stream; name="a.docx"\r
            Content-Disposition: attachment; filename="推荐表.docx"\r
            Content-Transfer-Encoding: base64\r
            \r
            \(Self.documentBase64)--BB--\r

            """
        let message = try parse(text)
        #expect(message.headers.subject == "推报材料")
        #expect(message.headers.from == [Mailbox(name: "张三", address: "zhang@example.cn")])
        #expect(message.bodyText == "推荐理由见附件。")
        #expect(message.attachments.map(\.filename) == ["推荐表.docx"])
        #expect(message.attachments.first?.size == 5_000)
        #expect(message.attachments.first?.sha256 == Self.documentSHA256)
        #expect(message.warnings.map(\.code) == [.headerRepaired])
    }

    @Test("text without a header stays not mail, white space before it or not")
    func whiteSpaceBeforeText() throws {
        #expect(throws: MIMEError.self) { try parse("  hello world\r\n") }
        #expect(throws: MIMEError.self) { try parse("hello world\r\n") }
    }

    @Test("an encoded word folded in its middle decodes (UTF-8, B)")
    func encodedWordFoldedInItsMiddle() throws {
        // 【一 | 所一人一事】物理研究所推报材料（韩思远）: the fold falls between 一 and 所.
        let text = "From: zhang@example.cn\r\nSubject: =?UTF-8?B?44CQ5LiA\r\n 5omA5LiA5Lq65LiA5LqL44CR54mp55CG56CU56m25omA5o6o5oql5p2Q5paZ77yI6Z+p5oCd6L+c77yJ?=\r\n\r\nbody\r\n"
        let message = try parse(text)
        #expect(message.headers.subject == "【一所一人一事】物理研究所推报材料（韩思远）")
    }

    @Test("a parameter line without indentation continues Content-Disposition and Content-Type")
    func unindentedParameterLine() throws {
        let text = Self.multipartHead + """
            --BB\r
            Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r
            Content-Disposition: attachment;\r
            filename="推荐表.docx"\r
            Content-Transfer-Encoding: base64\r
            \r
            \(Self.documentBase64)--BB\r
            Content-Type: application/msword;\r
            name*0*=utf-8''%E8%AE%BA%E6%96%87;\r
            name*1*=.doc\r
            Content-Transfer-Encoding: base64\r
            \r
            \(Self.documentBase64)--BB--\r

            """
        let message = try parse(text)
        #expect(message.attachments.map(\.filename) == ["推荐表.docx", "论文.doc"])
        #expect(message.attachments.map(\.size) == [5_000, 5_000])
        #expect(message.attachments.allSatisfy { $0.sha256 == Self.documentSHA256 })
        #expect(message.attachments.first?.disposition == "attachment")
        #expect(message.warnings.map(\.code) == [.headerRepaired, .headerRepaired])
    }

    @Test("a line that can be a header is not joined to the parameters")
    func headerAfterParameters() throws {
        let text = Self.multipartHead + """
            --BB\r
            Content-Type: application/pdf;\r
            Content-Disposition: attachment; filename="a.pdf"\r
            Content-Transfer-Encoding: base64\r
            \r
            \(Self.documentBase64)--BB--\r

            """
        let message = try parse(text)
        #expect(message.attachments.map(\.filename) == ["a.pdf"])
        #expect(message.attachments.map(\.contentType) == ["application/pdf"])
        #expect(message.warnings.isEmpty)
    }

    @Test("the last part without the closing boundary keeps its attachment, base64")
    func missingClosingBoundaryBase64() throws {
        let text = Self.multipartHead + """
            --BB\r
            Content-Type: application/octet-stream; name="a.docx"\r
            Content-Disposition: attachment; filename="推荐表.docx"\r
            Content-Transfer-Encoding: base64\r
            \r
            \(Self.documentBase64)
            """
        let message = try parse(text)
        #expect(message.attachments.map(\.filename) == ["推荐表.docx"])
        #expect(message.attachments.first?.size == 5_000)
        #expect(message.attachments.first?.sha256 == Self.documentSHA256)
        #expect(message.bodyText == "推荐理由见附件。")
        #expect(message.warnings.map(\.code) == [.missingBoundary])
    }

    @Test("the last part without the closing boundary ends before the final line break, as Python and Thunderbird read it")
    func missingClosingBoundaryText() throws {
        let text = Self.multipartHead + """
            --BB\r
            Content-Type: text/plain; charset=utf-8; name="a.txt"\r
            Content-Disposition: attachment; filename="名单.txt"\r
            \r
            第一行\r
            第二行\r

            """
        let message = try parse(text)
        #expect(message.attachments.map(\.filename) == ["名单.txt"])
        // "第一行\r\n第二行": 20 bytes; the hash is Python's for the same bytes.
        #expect(message.attachments.first?.size == 20)
        #expect(message.attachments.first?.sha256 == "ebf2d2d3b034853c183c5820f24df083cd02c77ca9e7b2de9e390a1bcaf06008")
    }

    // MARK: The rules on their own

    @Test("what continues a parameter list")
    func parameterLines() {
        func continues(_ line: String) -> Bool { HeaderRepair.continuesParameters(Array(line.utf8)) }
        #expect(continues("filename=\"x.docx\"\r\n"))
        #expect(continues("; name=x\r\n"))
        #expect(continues("filename*0*=utf-8''%E8%AE%BA\r\n"))
        #expect(continues("boundary = \"----=_Part_1\"\n"))
        #expect(!continues("Content-Transfer-Encoding: base64\r\n"))
        #expect(!continues("X-Note: a=b\r\n"))
        #expect(!continues("hello world\r\n"))
        #expect(!continues("=?UTF-8?B?5o6o?=\r\n"))
    }

    @Test("colons past the budget become spaces; within it nothing changes")
    func colonBudget() {
        #expect(HeaderRepair.limitingColons(Array("g: a@x.cn;".utf8), budget: 1) == nil)
        #expect(HeaderRepair.limitingColons(Array("a:b:c:d".utf8), budget: 2) == Array("a:b:c d".utf8))
    }

    @Test("short file runs between edits are read into the rewritten bytes")
    func coalescedPieces() {
        let pieces: [ParseInput.Piece] = [.file(0..<10), .bytes([1]), .file(10..<12), .bytes([2]), .file(12..<100)]
        let merged = ParseInput.coalesced(pieces, shortestFileRun: 50) { range in range.map { UInt8($0) } }
        #expect(merged == [.bytes(Array(0..<10) + [1, 10, 11, 2]), .file(12..<100)])
    }
}
