import Foundation
import Testing
@testable import Materials

/// The zip readers check the CRC-32 of what they inflate: a flipped bit in a deflated member can
/// still inflate cleanly, to other bytes, and only the checksum tells.
struct ZipChecksumTests {
    static let documentPart = "word/document.xml"
    static let document = Data(DocxFixture.document(body: DocxFixture.paragraph("推荐理由：长期从事量子材料研究。")).utf8)

    /// Every single-bit flip in the deflated document.xml is either refused or gives back the
    /// very same bytes (a flip in the padding after the last block); none gives other bytes.
    @Test func everyFlippedBitInADeflatedMemberIsCaught() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("flipped.docx")
        try TestSupport.writeZip([("[Content_Types].xml", Data(DocxFixture.contentTypes().utf8)),
                                  (Self.documentPart, Self.document)], to: url)
        let pristine = try Data(contentsOf: url)
        let range = try ZipSurgery.dataRange(of: Self.documentPart, in: pristine)
        #expect(range.count > 100)

        var checksumMismatches: [Int] = [], otherwiseRefused = 0, unchanged = 0, changed: [Int] = []
        for bit in 0..<(range.count * 8) {
            try ZipSurgery.flipping(bit, in: range, of: pristine).write(to: url)
            do {
                let bytes = try BoundedZip(fileAt: url, limits: .default).data(of: Self.documentPart)
                if bytes == Self.document { unchanged += 1 } else { changed.append(bit) }
            } catch ContainerError.checksumMismatch(let entry) {
                #expect(entry == Self.documentPart)
                checksumMismatches.append(bit)
            } catch ContainerError.malformedPart(Self.documentPart), ContainerError.sizeMismatch(Self.documentPart) {
                otherwiseRefused += 1  // the flip broke the deflate stream itself
            }
        }
        #expect(changed == [])
        #expect(!checksumMismatches.isEmpty)
        #expect(checksumMismatches.count + otherwiseRefused + unchanged == range.count * 8)
        #expect(unchanged < 8)  // only padding bits of the last byte may go unnoticed

        // The reader of the whole document names the damaged part.
        let first = try #require(checksumMismatches.first)
        try ZipSurgery.flipping(first, in: range, of: pristine).write(to: url)
        #expect(throws: ContainerError.checksumMismatch(entry: Self.documentPart)) { try DocxReader.read(fileAt: url) }
    }

    /// The same for a worksheet of a form workbook, read through ZIPFoundation by FormReader.
    @Test func aFlippedBitInAWorksheetIsADamagedPart() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("form.xlsx")
        let ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
            + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
        let sheetPart = "xl/worksheets/sheet1.xml"
        let cells = (1...20).map { "<row r=\"\($0)\"><c t=\"inlineStr\"><is><t>第\($0)行 推报单位</t></is></c></row>" }
        try TestSupport.writeZip([
            ("xl/workbook.xml", Data("<workbook \(ns)><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".utf8)),
            ("xl/_rels/workbook.xml.rels", Data(("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>").utf8)),
            (sheetPart, Data("<worksheet \(ns)><sheetData>\(cells.joined())</sheetData></worksheet>".utf8)),
        ], to: url)
        let pristine = try Data(contentsOf: url)
        #expect(try FormReader.read(xlsxAt: url).first?.rows.count == 20)

        // The first flip that inflates cleanly, as BoundedZip's checksum tells.
        let range = try ZipSurgery.dataRange(of: sheetPart, in: pristine)
        let bit = try #require((0..<(range.count * 8)).first { bit in
            (try? ZipSurgery.flipping(bit, in: range, of: pristine).write(to: url)) != nil
                && Self.failsChecksum(sheetPart, at: url)
        })
        try ZipSurgery.flipping(bit, in: range, of: pristine).write(to: url)
        #expect(throws: SpreadsheetError.damagedPart(sheetPart)) { try FormReader.read(xlsxAt: url) }
    }

    /// libarchive, behind ArchiveReader, checks zip CRC-32s itself: the damaged member is an
    /// error for the archive and nothing stays written.
    @Test func archiveReaderRefusesAMemberThatFailsItsChecksum() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("materials.zip")
        try TestSupport.writeZip([("征文.txt", Data(String(repeating: "推荐理由：长期从事量子材料研究。\n", count: 20).utf8))], to: url)
        let pristine = try Data(contentsOf: url)
        let range = try ZipSurgery.dataRange(of: "征文.txt", in: pristine)
        let bit = try #require((0..<(range.count * 8)).first { bit in
            (try? ZipSurgery.flipping(bit, in: range, of: pristine).write(to: url)) != nil
                && Self.failsChecksum("征文.txt", at: url)
        })
        try ZipSurgery.flipping(bit, in: range, of: pristine).write(to: url)

        let out = dir.appendingPathComponent("out")
        let error = #expect(throws: ArchiveReaderError.self) { try ArchiveReader.extract(fileAt: url, into: out) }
        guard case .unreadable(let detail) = error else {
            Issue.record("expected unreadable, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("CRC"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == [])
    }

    private static func failsChecksum(_ part: String, at url: URL) -> Bool {
        do {
            _ = try BoundedZip(fileAt: url, limits: .default).data(of: part)
            return false
        } catch {
            return error as? ContainerError == .checksumMismatch(entry: part)
        }
    }
}

/// Byte surgery on a ZIP written by `TestSupport.writeZip` (sizes in the local header, no data descriptor).
enum ZipSurgery {
    struct NoSuchMember: Error { let name: String }

    /// Where the stored (deflated) bytes of member `name` lie in `zip`.
    static func dataRange(of name: String, in zip: Data) throws -> Range<Int> {
        let bytes = [UInt8](zip), nameBytes = [UInt8](name.utf8)
        func uint16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func uint32(_ at: Int) -> Int { uint16(at) | uint16(at + 2) << 16 }
        for offset in 0..<max(0, bytes.count - 30) where bytes[offset..<offset + 4].elementsEqual([0x50, 0x4B, 0x03, 0x04]) {
            guard bytes[(offset + 30)...].starts(with: nameBytes), uint16(offset + 26) == nameBytes.count else { continue }
            let start = offset + 30 + nameBytes.count + uint16(offset + 28)
            return start ..< start + uint32(offset + 18)
        }
        throw NoSuchMember(name: name)
    }

    /// `zip` with bit `bit` (counted from the start of `range`, low bit first) inverted.
    static func flipping(_ bit: Int, in range: Range<Int>, of zip: Data) -> Data {
        var bytes = zip
        bytes[bytes.startIndex + range.lowerBound + bit / 8] ^= UInt8(1) << UInt8(bit % 8)
        return bytes
    }
}
