import Testing
@testable import MIME

@Suite("Content-Type and Content-Disposition parameters")
struct ContentParameterTests {
    func parse(_ text: String) -> ContentParameters { ContentParameters(raw: Array(text.utf8)) }

    @Test("RFC 2231 continuations with a UTF-8 charset (Outlook)")
    func continuations() {
        let value = parse("attachment;\r\n filename*0*=utf-8''%E9%99%84%E4%BB%B6;\r\n filename*1*=%E4%B8%80.docx")
        #expect(value.value == "attachment")
        #expect(value["filename"] == "附件一.docx")
    }

    @Test("RFC 2231 sections out of order, mixing encoded and plain sections")
    func outOfOrder() {
        let value = parse("attachment; filename*1=\".docx\"; filename*0*=UTF-8'zh-cn'%E5%BE%81%E6%96%87")
        #expect(value["filename"] == "征文.docx")
    }

    @Test("RFC 2231 with a GBK label carrying a GB18030-only character (WPS)")
    func gbkPercentEncoded() {
        let bytes = IconvEncoder.encode("刘䶮事迹.docx", to: "GB18030")
        let encoded = bytes.map { $0 < 0x80 && $0 != 0x25 ? String(UnicodeScalar($0)) : "%" + String($0, radix: 16, uppercase: true) }.joined()
        #expect(parse("attachment; filename*=GBK''\(encoded)")["filename"] == "刘䶮事迹.docx")
    }

    @Test("quoted RFC 2047 words in a filename (Foxmail), split inside a character")
    func foxmailQuotedWords() {
        let gbk = IconvEncoder.encode("附件1推报表.docx", to: "GB18030")
        let a = String(decoding: Base64.encode(Array(gbk[0..<3])), as: UTF8.self)
        let b = String(decoding: Base64.encode(Array(gbk[3...])), as: UTF8.self)
        let value = parse("application/octet-stream;\r\n\tname=\"=?GBK?B?\(a)?= =?GBK?B?\(b)?=\"")
        #expect(value.value == "application/octet-stream")
        #expect(value["name"] == "附件1推报表.docx")
    }

    @Test("raw 8-bit GB18030 and UTF-8 filenames")
    func raw8Bit() {
        var gb = Array("attachment; filename=\"".utf8)
        gb += IconvEncoder.encode("推报表（物理所）.docx", to: "GB18030") + Array("\"".utf8)
        #expect(ContentParameters(raw: gb)["filename"] == "推报表（物理所）.docx")
        #expect(parse("attachment; filename=征文.docx")["filename"] == "征文.docx")
    }

    @Test("a GBK trail byte 0x5C inside quotes is not an escape")
    func backslashTrailByte() {
        // 乗 is 0x81 0x5C in GBK.
        #expect(IconvEncoder.encode("乗", to: "GBK") == [0x81, 0x5C])
        var raw = Array("attachment; filename=\"".utf8) + [0x81, 0x5C] + Array(".txt\"".utf8)
        #expect(ContentParameters(raw: raw)["filename"] == "乗.txt")
        raw = Array(#"attachment; filename="a \"quoted\" name.txt""#.utf8)
        #expect(ContentParameters(raw: raw)["filename"] == #"a "quoted" name.txt"#)
    }

    @Test("missing semicolons and stray spaces lose nothing after them")
    func sloppySyntax() {
        let value = parse("text/plain ; charset = \"gb2312\" ;; format=flowed")
        #expect(value.value == "text/plain")
        #expect(value["charset"] == "gb2312")
        #expect(value["format"] == "flowed")
    }
}

@Suite("HTML bodies to text")
struct HTMLTextTests {
    @Test("block elements, entities, links, head and style dropped")
    func conversion() {
        let html = """
        <html><head><title>t</title><style>p{color:red}</style></head><body>
        <div>各位老师：</div><p>附件是推报材料&nbsp;&amp;&#x5B57;&#25968;。</p>
        <!-- a <b>comment</b> -->
        <a href="https://wx.mail.qq.com/ftn/download?func=3&amp;k=abc">视频.mp4</a><br>
        <a href="https://pan.baidu.com/s/1x">https://pan.baidu.com/s/1x</a> 提取码: ab12
        </body></html>
        """
        #expect(HTMLText.plainText(fromHTML: html) == """
        各位老师：
        附件是推报材料 &字数。
        视频.mp4 (https://wx.mail.qq.com/ftn/download?func=3&k=abc)
        https://pan.baidu.com/s/1x 提取码: ab12
        """)
    }
}

@Suite("Attachment or body")
struct AttachmentPolicyTests {
    @Test("the client rule", arguments: [
        ("text/plain", nil, nil, PartInfo.Kind.body),
        ("text/html", "inline", nil, .body),
        ("text/plain", "attachment", nil, .attachment),
        ("text/plain", nil, "说明.txt", .attachment),
        ("image/jpeg", "inline", nil, .attachment),
        ("image/jpeg", "inline", "IMG_0423.JPG", .attachment),
        ("application/octet-stream", nil, nil, .attachment),
        ("message/delivery-status", nil, nil, .report),
        ("text/rfc822-headers", nil, nil, .report),
    ] as [(String, String?, String?, PartInfo.Kind)])
    func rule(_ type: String, _ disposition: String?, _ filename: String?, _ kind: PartInfo.Kind) {
        #expect(AttachmentPolicy.kind(contentType: type, disposition: disposition, filename: filename) == kind)
    }
}
