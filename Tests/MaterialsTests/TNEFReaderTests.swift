import Foundation
import Testing
@testable import Materials

struct TNEFReaderTests {
    private static let reportData = Array("一所一人一事 report\n".utf8)
    private static let essayData: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + (0..<5000).map { UInt8(($0 * 31 + 7) % 256) }
    private static let essayName = "征文：扎根高原三十年（定稿）.docx"

    /// Outlook's usual shape: an ASCII file and a Chinese long file name in PT_UNICODE beside a
    /// GBK 8.3 title, plus a named and a multi-valued property to skip.
    private static func outlookStream() -> Data {
        TNEFWriter.stream([
            .init(title: Array("REPORT.TXT".utf8), data: reportData, properties: [
                TNEFWriter.long(id: 0x3705, 1), // PR_ATTACH_METHOD: by value
                TNEFWriter.unicode(id: 0x3707, "report.txt"),
                TNEFWriter.string8(id: 0x3704, Array("REPORT.TXT".utf8)),
            ]),
            .init(title: [0xD5, 0xF7, 0xCE, 0xC4, 0x7E, 0x31, 0x2E, 0x44, 0x4F, 0x43], // 征文~1.DOC in GBK
                  data: essayData, properties: [
                TNEFWriter.namedUnicode(id: 0x8005, name: "Keywords", "ignored"),
                TNEFWriter.multiLong(id: 0x3716, [1, 2, 3]),
                TNEFWriter.long(id: 0x3705, 1),
                TNEFWriter.unicode(id: 0x3001, essayName), // PR_DISPLAY_NAME
                TNEFWriter.unicode(id: 0x3707, essayName), // PR_ATTACH_LONG_FILENAME
                TNEFWriter.string8(id: 0x3704, [0xD5, 0xF7, 0xCE, 0xC4, 0x7E, 0x31, 0x2E, 0x44, 0x4F, 0x43]),
            ]),
        ])
    }

    @Test func readsTwoAttachmentsWithTheUnicodeLongName() throws {
        let attachments = try TNEFReader.attachments(in: Self.outlookStream())
        #expect(attachments == [
            TNEFAttachment(name: "report.txt", data: Data(Self.reportData)),
            TNEFAttachment(name: Self.essayName, data: Data(Self.essayData)),
        ])
        #expect(TNEFReader.isTNEF(Self.outlookStream()))
        #expect(!TNEFReader.isTNEF(Data("PK\u{3}\u{4}".utf8)))
    }

    /// The Debian `tnef` tool reads the same stream to the same names and bytes.
    @Test func debianTnefToolAgrees() throws {
        let folder = try ScratchFolder()
        let stream = try folder.write("winmail.dat", Self.outlookStream())
        let listing = try CommandLineTool.run("tnef", ["--list", "-f", stream.path]).output
        let listedNames = listing.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
        let attachments = try TNEFReader.attachments(in: try Data(contentsOf: stream))
        #expect(listedNames == attachments.map(\.name))

        let out = folder.file("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try CommandLineTool.run("tnef", ["-C", out.path, "-f", stream.path])
        for attachment in attachments {
            let unpacked = try Data(contentsOf: out.appendingPathComponent(attachment.name))
            #expect(unpacked == attachment.data)
            let ours = try folder.write("ours-\(attachment.data.count)", attachment.data)
            #expect(try CommandLineTool.sha256(of: ours) == (try CommandLineTool.sha256(of: out.appendingPathComponent(attachment.name))))
        }
    }

    /// Data only as PR_ATTACH_DATA_BIN, a name only in the title, and a GBK PT_STRING8 long name.
    @Test func dataAndNamesFromMAPIPropertiesAlone() throws {
        let stream = TNEFWriter.stream([
            .init(title: Array("PHOTO.JPG".utf8), data: nil, properties: [
                TNEFWriter.binary(id: 0x3701, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]),
            ]),
            .init(title: Array("ESSAY~1.TXT".utf8), data: Array("正文".utf8), properties: [
                TNEFWriter.string8(id: 0x3707, [0xD5, 0xF7, 0xCE, 0xC4, 0x2E, 0x74, 0x78, 0x74]), // 征文.txt in GBK
            ]),
            .init(title: Array("BYREF.LNK".utf8), data: nil, properties: [TNEFWriter.long(id: 0x3705, 2)]),
        ])
        #expect(try TNEFReader.attachments(in: stream) == [
            TNEFAttachment(name: "PHOTO.JPG", data: Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])),
            TNEFAttachment(name: "征文.txt", data: Data("正文".utf8)),
        ])
    }

    @Test func refusesWhatIsNotTNEFOrTooLarge() throws {
        #expect(throws: TNEFError.notTNEF) { try TNEFReader.attachments(in: Data("MIME-Version: 1.0".utf8)) }
        #expect(throws: TNEFError.notTNEF) { try TNEFReader.attachments(in: Data()) }

        let stream = Self.outlookStream()
        let cut = stream.prefix(stream.count - 40)
        #expect(throws: TNEFError.self) { try TNEFReader.attachments(in: Data(cut)) }

        #expect(throws: TNEFError.tooLarge(limit: 4096)) {
            try TNEFReader.attachments(in: stream, maxTotalBytes: 4096)
        }
    }

    /// A length field pointing far past the end is refused, not trusted.
    @Test func hostileLengthsAreRefused() throws {
        var bytes = TNEFWriter.le32(0x223E_9F78) + TNEFWriter.le16(0)
        bytes += [2] + TNEFWriter.le32(0x0006_800F) + TNEFWriter.le32(0xFFFF_FFF0) + [1, 2, 3]
        #expect(throws: TNEFError.truncated(offset: 6)) { try TNEFReader.attachments(in: Data(bytes)) }

        // A MAPI list claiming a billion properties, and a property claiming a huge value.
        let properties = TNEFWriter.le32(1_000_000_000) + TNEFWriter.le16(0x001F) + TNEFWriter.le16(0x3707)
            + TNEFWriter.le32(1) + TNEFWriter.le32(0x7FFF_FFFF)
        let stream = TNEFWriter.stream([.init(title: Array("A.TXT".utf8), data: [1], properties: [])])
        var patched = [UInt8](stream)
        patched += TNEFWriter.attribute(level: 2, id: 0x0006_9005, properties)
        #expect(try TNEFReader.attachments(in: Data(patched)) == [TNEFAttachment(name: "A.TXT", data: Data([1]))])
    }
}
