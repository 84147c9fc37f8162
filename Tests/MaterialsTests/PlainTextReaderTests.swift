import Foundation
import Testing
@testable import Materials

@Suite struct PlainTextReaderTests {
    static let sample = "推荐理由：张三同志成绩突出。\nCOVID-19 research."

    @Test func decodesUTF8WithAndWithoutBOM() {
        let plain = PlainTextReader.decode(Data(Self.sample.utf8))
        #expect(plain == .init(text: Self.sample, encoding: .utf8, lossy: false))
        let bom = PlainTextReader.decode(Data([0xEF, 0xBB, 0xBF] + Array(Self.sample.utf8)))
        #expect(bom == .init(text: Self.sample, encoding: .utf8, lossy: false))
    }

    @Test func decodesUTF16WithBOM() {
        let units = Array(Self.sample.utf16)
        let little: [UInt8] = [0xFF, 0xFE] + units.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let big: [UInt8] = [0xFE, 0xFF] + units.flatMap { unit -> [UInt8] in [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        #expect(PlainTextReader.decode(Data(little)) == .init(text: Self.sample, encoding: .utf16LittleEndian, lossy: false))
        #expect(PlainTextReader.decode(Data(big)) == .init(text: Self.sample, encoding: .utf16BigEndian, lossy: false))
    }

    @Test func decodesGBKAsGB18030() {
        // "中国科学院，A" as GBK/GB2312 writes it.
        let gbk: [UInt8] = [0xD6, 0xD0, 0xB9, 0xFA, 0xBF, 0xC6, 0xD1, 0xA7, 0xD4, 0xBA, 0xA3, 0xAC, 0x41]
        #expect(PlainTextReader.decode(Data(gbk)) == .init(text: "中国科学院，A", encoding: .gb18030, lossy: false))
        // A 4-byte GB18030 sequence: 0x81 0x30 0x81 0x30 is U+0080.
        #expect(PlainTextReader.decode(Data([0xD6, 0xD0, 0x81, 0x30, 0x81, 0x30])).text == "中\u{80}")
    }

    @Test func fallsBackToLossyUTF8() {
        // A lone 0xFF is neither UTF-8 nor GB18030.
        let result = PlainTextReader.decode(Data([0x61, 0xFF, 0x62]))
        #expect(result == .init(text: "a\u{FFFD}b", encoding: .utf8, lossy: true))
        // A GBK lead byte cut off at the end is not clean GB18030 either.
        #expect(PlainTextReader.decode(Data([0xD6, 0xD0, 0xB9])).lossy)
    }

    @Test func splitsLinesIntoParagraphs() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("a.txt")
        try Data("第一段\r\n\r\n  第二段  \r\n第三段".utf8).write(to: url)
        let result = try PlainTextReader.read(fileAt: url)
        #expect(result.document.paragraphs == ["第一段", "第二段", "第三段"])
        #expect(throws: PlainTextReader.ReadError.tooLarge) { try PlainTextReader.read(fileAt: url, maxBytes: 10) }
    }

    @Test func emptyInputIsEmptyUTF8() {
        #expect(PlainTextReader.decode(Data()) == .init(text: "", encoding: .utf8, lossy: false))
    }
}
