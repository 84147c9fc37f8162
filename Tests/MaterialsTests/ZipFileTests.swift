import Foundation
import Testing
@testable import Materials

/// ZipFile, the hand-read ZIP behind docx and xlsx: it ends on every input, reads what other
/// writers write (ZIP64 included) and says which entry is at fault.
@Suite(.timeLimit(.minutes(1)))  // a hang fails the suite instead of stalling the run
struct ZipFileTests {
    static let sheet = Data(String(repeating: "<row><c t=\"inlineStr\"><is><t>推报单位 中国科学院物理研究所</t></is></c></row>", count: 40).utf8)

    /// Found by fuzzing (Fuzz/findings/xlsx/timeout-inflate-never-ends): a deflate stream that
    /// does not finish within its entry's compressed size made ZIPFoundation's inflate loop spin
    /// forever. Now the workbook is refused as unreadable.
    @Test func theFuzzFindingEnds() throws {
        let finding = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/findings/xlsx/timeout-inflate-never-ends")
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("form.xlsx")
        try FileManager.default.copyItem(at: finding, to: url)
        let error = #expect(throws: SpreadsheetError.self) { try FormReader.read(xlsxAt: url) }
        guard case .notAWorkbook(let detail) = error else {
            Issue.record("expected notAWorkbook, got \(String(describing: error))")
            return
        }
        #expect(detail.hasPrefix("cannot read "))
        #expect(detail.contains("badDeflate"))
    }

    /// The same defect built on purpose: the directory declares half the deflated bytes, so the
    /// stream is cut short. Both readers refuse the entry by name; neither loops.
    @Test func aDeflateStreamCutShortByItsDeclaredSizeIsRefused() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("cut.docx")
        let part = "xl/worksheets/sheet1.xml"
        try TestSupport.writeZip([(part, Self.sheet)], to: url)
        let pristine = try Data(contentsOf: url)
        let range = try ZipSurgery.dataRange(of: part, in: pristine)
        let cut = try Self.settingCompressedSize(of: part, to: UInt32(range.count / 2), in: pristine)
        try cut.write(to: url)

        let zip = try ZipFile(fileAt: url, maxEntries: 10)
        let entry = try #require(zip.entries.first)
        #expect(entry.compressedSize == UInt64(range.count / 2))
        #expect(throws: ZipFile.Failure.badDeflate(entry: part)) { try zip.read(entry, cap: 1 << 20) { _ in } }
        #expect(throws: ContainerError.malformedPart(part)) { try BoundedZip(fileAt: url, limits: .default).data(of: part) }
    }

    /// Stored and deflated entries read back byte for byte, with the CRC-32 and sizes of the
    /// directory; the output cap stops a reader at the cap, not at the end.
    @Test func readsWhatZIPFoundationWrote() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("parts.zip")
        let small = Data("[Content_Types]".utf8)
        try TestSupport.writeZip([("a.xml", Self.sheet), ("b/小.txt", small)], to: url)
        let zip = try ZipFile(fileAt: url, maxEntries: 10)
        #expect(zip.entries.map(\.name) == ["a.xml", "b/小.txt"])
        #expect(zip.entries.map(\.uncompressedSize) == [UInt64(Self.sheet.count), UInt64(small.count)])
        var read = Data()
        try zip.read(zip.entries[0], cap: 1 << 20) { read.append($0) }
        #expect(read == Self.sheet)
        #expect(throws: ZipFile.Failure.overCap(entry: "a.xml")) { try zip.read(zip.entries[0], cap: 100) { _ in } }
        #expect(throws: ZipFile.Failure.tooManyEntries) { try ZipFile(fileAt: url, maxEntries: 1) }
    }

    /// A ZIP64 archive (64-bit sizes in the extra field, the ZIP64 end records) as writers of
    /// large packages make; python's zipfile reads the same file independently.
    @Test func readsZIP64() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("zip64.zip")
        let body = Data("推荐理由：长期从事量子材料研究。".utf8)
        try Self.storedZIP64(name: "word/document.xml", body: body).write(to: url)

        if let python = TestSupport.tool("python3") {
            let listing = try TestSupport.run(python, ["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); "
                + "sys.stdout.buffer.write(z.read('word/document.xml'))", url.path])
            #expect(listing.status == 0)
            #expect(listing.stdout == "推荐理由：长期从事量子材料研究。")
        }
        let zip = try ZipFile(fileAt: url, maxEntries: 10)
        #expect(zip.entries.count == 1)
        #expect(zip.entries.first?.uncompressedSize == UInt64(body.count))
        #expect(try BoundedZip(fileAt: url, limits: .default).data(of: "word/document.xml") == body)
    }

    /// Found by fuzzing (Fuzz/findings/docx/crash-zip64-locator-offset): a ZIP64 locator whose
    /// record offset is past Int64.max made FileHandle.seek trap. Now: not a ZIP.
    @Test func aZIP64LocatorPointingPastAnyFileIsRefused() throws {
        let finding = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/findings/docx/crash-zip64-locator-offset")
        #expect(throws: ZipFile.Failure.malformed("offset 13474770153812131842 lies outside any file")) {
            try ZipFile(fileAt: finding, maxEntries: 10)
        }
        #expect(throws: ContainerError.notAZip) { try DocxReader.read(fileAt: finding) }
    }

    /// Neither a ZIP nor an empty file nor a lone end record with a directory past the end.
    @Test func notAZip() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("x.docx")
        for bytes in [Data(), Data("推荐表".utf8), Data([0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 8) + [1, 0, 0, 0, 0xFF, 0xFF, 0, 0] + [0, 0])] {
            try bytes.write(to: url)
            #expect(throws: (any Error).self) { try ZipFile(fileAt: url, maxEntries: 10) }
            #expect(throws: ContainerError.notAZip) { try BoundedZip(fileAt: url, limits: .default) }
        }
    }

    // MARK: Byte surgery and hand-built archives

    /// Rewrites the compressed-size field of `name`'s central directory entry.
    static func settingCompressedSize(of name: String, to size: UInt32, in zip: Data) throws -> Data {
        var bytes = [UInt8](zip)
        let nameBytes = [UInt8](name.utf8)
        for offset in 0..<(bytes.count - 46) where bytes[offset..<offset + 4].elementsEqual([0x50, 0x4B, 0x01, 0x02]) {
            guard bytes[(offset + 46)...].starts(with: nameBytes) else { continue }
            withUnsafeBytes(of: size.littleEndian) { bytes.replaceSubrange(offset + 20..<offset + 24, with: $0) }
            return Data(bytes)
        }
        throw ZipSurgery.NoSuchMember(name: name)
    }

    /// One stored entry whose sizes and offset live only in ZIP64 fields.
    static func storedZIP64(name: String, body: Data) -> Data {
        var out = [UInt8]()
        func u16(_ value: Int) { out += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        let nameBytes = [UInt8](name.utf8)
        let crc = UInt32(body.reduce(into: ~UInt32(0)) { crc, byte in
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        } ^ ~UInt32(0))
        // Local header: sizes 0xFFFFFFFF, the real ones in a ZIP64 extra field.
        u32(0x0403_4B50); u16(45); u16(0x0800); u16(0); u16(0); u16(0); u32(crc)
        u32(0xFFFF_FFFF); u32(0xFFFF_FFFF); u16(nameBytes.count); u16(20)
        out += nameBytes
        u16(1); u16(16); u64(UInt64(body.count)); u64(UInt64(body.count))
        out += body
        // Central directory entry: sizes and offset in ZIP64.
        let directoryOffset = UInt64(out.count)
        u32(0x0201_4B50); u16(45); u16(45); u16(0x0800); u16(0); u16(0); u16(0); u32(crc)
        u32(0xFFFF_FFFF); u32(0xFFFF_FFFF); u16(nameBytes.count); u16(28); u16(0); u16(0); u16(0); u32(0)
        u32(0xFFFF_FFFF)
        out += nameBytes
        u16(1); u16(24); u64(UInt64(body.count)); u64(UInt64(body.count)); u64(0)
        let directorySize = UInt64(out.count) - directoryOffset
        // ZIP64 end record, its locator, then the classic record with every field saturated.
        let zip64RecordOffset = UInt64(out.count)
        u32(0x0606_4B50); u64(44); u16(45); u16(45); u32(0); u32(0); u64(1); u64(1); u64(directorySize); u64(directoryOffset)
        u32(0x0706_4B50); u32(0); u64(zip64RecordOffset); u32(1)
        u32(0x0605_4B50); u16(0); u16(0); u16(0xFFFF); u16(0xFFFF); u32(0xFFFF_FFFF); u32(0xFFFF_FFFF); u16(0)
        return Data(out)
    }
}
