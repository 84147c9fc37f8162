import Testing
@testable import MIME

@Suite("RFC 2047 encoded words")
struct EncodedWordTests {
    func decode(_ text: String) -> String { EncodedWords.decodeUnstructured(Array(text.utf8)) }

    @Test("padded adjacent GBK words (GMime 3.2.13 keeps only the first)")
    func paddedAdjacentGBKWords() {
        // "拆分" is svC31g== in GBK; the title continues in the next word.
        let gbk = IconvTestHelper.bytes("拆分的标题", charset: "GB18030")
        let first = Base64.encode(Array(gbk[0..<4]))
        let second = Base64.encode(Array(gbk[4...]))
        let header = "=?GBK?B?\(String(decoding: first, as: UTF8.self))?= =?GBK?B?\(String(decoding: second, as: UTF8.self))?="
        #expect(String(decoding: first, as: UTF8.self) == "svC31g==")
        #expect(decode(header) == "拆分的标题")
    }

    @Test("a UTF-8 character split between two B words")
    func splitUTF8Character() {
        let bytes = Array("推报材料".utf8)  // 12 bytes; split inside the second character
        let a = String(decoding: Base64.encode(Array(bytes[0..<4])), as: UTF8.self)
        let b = String(decoding: Base64.encode(Array(bytes[4...])), as: UTF8.self)
        #expect(decode("=?utf-8?B?\(a)?=\r\n =?UTF-8?b?\(b)?=") == "推报材料")
    }

    @Test("Q encoding with underscores and a split character")
    func qEncoding() {
        #expect(decode("=?UTF-8?Q?=E6=8E=A8=E6?= =?UTF-8?Q?=8A=A5_2018?=") == "推报 2018")
    }

    @Test("literal text between words keeps its spaces; space between words is dropped")
    func literalAndWords() {
        #expect(decode("Re: =?UTF-8?B?5o6o5oql?= =?UTF-8?B?5p2Q5paZ?= (v2)") == "Re: 推报材料 (v2)")
    }

    @Test("gb2312 label carrying a GB18030-only character is widened")
    func gb2312Widened() {
        let bytes = IconvTestHelper.bytes("刘䶮", charset: "GB18030")
        let word = String(decoding: Base64.encode(bytes), as: UTF8.self)
        #expect(decode("=?gb2312?B?\(word)?=") == "刘䶮")
    }

    @Test("x-gbk, Big5, ISO-2022-JP labels")
    func otherCharsets() {
        let gbk = String(decoding: Base64.encode(IconvTestHelper.bytes("先进事迹", charset: "GBK")), as: UTF8.self)
        #expect(decode("=?x-gbk?B?\(gbk)?=") == "先进事迹")
        let big5 = String(decoding: Base64.encode(IconvTestHelper.bytes("中國科學院", charset: "BIG5")), as: UTF8.self)
        #expect(decode("=?big5?B?\(big5)?=") == "中國科學院")
        #expect(decode("=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=") == "日本語")
    }

    @Test("raw 8-bit headers: UTF-8 when valid, else GB18030")
    func raw8Bit() {
        #expect(EncodedWords.decodeUnstructured(Array("一所一人一事".utf8)) == "一所一人一事")
        #expect(EncodedWords.decodeUnstructured(IconvTestHelper.bytes("一所一人一事 推报", charset: "GB18030")) == "一所一人一事 推报")
    }

    @Test("unknown charset label falls back to UTF-8 or GB18030")
    func unknownLabel() {
        let gb = String(decoding: Base64.encode(IconvTestHelper.bytes("征文", charset: "GB18030")), as: UTF8.self)
        #expect(decode("=?x-unknown-cs?B?\(gb)?=") == "征文")
    }

    @Test("invalid bytes become U+FFFD without losing the rest")
    func invalidBytes() {
        let bytes: [UInt8] = [0xD5, 0xF7, 0xFF, 0xCE, 0xC4]  // 征 <bad> 文
        #expect(Charset.decode(bytes, label: "gbk") == "征\u{FFFD}文")
    }

    @Test("malformed words stay literal")
    func malformed() {
        #expect(decode("=?UTF-8?X?abc?= and =?broken") == "=?UTF-8?X?abc?= and =?broken")
    }

    @Test("repair joins split words into one UTF-8 word for GMime's structured parsers")
    func repair() {
        let repaired = String(decoding: EncodedWords.repair(Array("\"=?GBK?B?svC31g==?= =?GBK?B?tcSx6sziLmRvY3g=?=\" <a@b.cn>".utf8)), as: UTF8.self)
        #expect(repaired == "\"=?UTF-8?B?5ouG5YiG55qE5qCH6aKYLmRvY3g=?=\" <a@b.cn>")
    }

    @Test("a word folded in its middle is put back together; whole words and unterminated ones are left")
    func foldedInsideWord() {
        #expect(decode("=?UTF-8?B?5o6o\r\n 5oql?= tail") == "推报 tail")
        // Python's email keeps the space inside a Q word and loses the character split there.
        #expect(decode("=?UTF-8?Q?=E6=8E=A8=E6=8A\r\n\t=A5=E6=9D=90?=") == "推报材")
        #expect(decode("=?UTF-8?B?5o6o5oql?=\r\n =?UTF-8?B?5p2Q5paZ?=") == "推报材料")
        #expect(decode("=?UTF-8?B?5o6o\r\n next line") == "=?UTF-8?B?5o6o next line")
        #expect(decode("=?UTF-8?B?5o6o\r\n =?UTF-8?B?5oql?=") == "=?UTF-8?B?5o6o 报")
        let repaired = String(decoding: EncodedWords.repair(Array("=?UTF-8?B?5byg\r\n 5LiJ?= <zhang@example.cn>".utf8)), as: UTF8.self)
        #expect(repaired == "=?UTF-8?B?5byg5LiJ?= <zhang@example.cn>")
    }

    @Test("tolerant base64: bad line lengths and stray characters")
    func tolerantBase64() {
        #expect(Base64.decode(Array("5o6o\r\n5oql 5p2Q*5paZ".utf8)) == Array("推报材料".utf8))
    }

    /// Found by fuzzing (a 1 s timeout in fuzz-mime on MimeKit's stack-overflow.txt, whose To:
    /// folds 2,600 encoded words): joining a run of words copied the run once per word, O(n²).
    @Test("a long run of adjacent words is joined in linear time")
    func longRunOfWords() {
        let word = "=?utf-8?B?" + String(decoding: Base64.encode(Array(String(repeating: "推报材料", count: 5).utf8)), as: UTF8.self) + "?="
        let header = Array(Array(repeating: word, count: 20_000).joined(separator: "\r\n ").utf8)
        let clock = ContinuousClock()
        var text = ""
        let elapsed = clock.measure { text = EncodedWords.decodeUnstructured(header) }
        #expect(text == String(repeating: "推报材料", count: 100_000))
        // Copying the run per word moved 60 bytes × 20,000² / 2 = 12 GB here.
        #expect(elapsed < .seconds(2), "took \(elapsed)")
    }

    /// Found by fuzzing (Fuzz/findings/encoded-words): every charset label iconv accepts kept a
    /// descriptor open for good, and `utf-16//1`, `utf-16//2` … are all different labels, so
    /// one mail could pin unbounded memory in a long-running `tuibao serve`.
    @Test("charset labels from mail do not grow the resident iconv table without bound")
    func charsetLabelsAreBounded() {
        let utf16 = Base64.encode([0xFF, 0xFE, 0xA8, 0x63, 0xA5, 0x62])  // "推报" in UTF-16 with a BOM
        for index in 0..<300 {
            let header = "=?utf-16//\(index)?B?\(String(decoding: utf16, as: UTF8.self))?="
            #expect(decode(header) == "推报")
        }
        #expect(IconvConverter.knownNameCount <= IconvConverter.maxKnownNames)
        #expect(decode("=?GBK?B?svC31g==?=") == "拆分")
    }
}

enum IconvTestHelper {
    static func bytes(_ text: String, charset: String) -> [UInt8] {
        IconvEncoder.encode(text, to: charset)
    }
}
