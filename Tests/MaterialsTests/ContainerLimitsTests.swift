import Foundation
import Testing
import ZIPFoundation
@testable import Materials

@Suite struct ContainerLimitsTests {
    /// A docx whose document.xml is 2 GiB of spaces deflated to about 2 MiB (see `ZipBomb`).
    /// Refused from the central directory alone, before a byte is inflated.
    @Test func refusesADocxBombBeforeInflating() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("bomb.docx")
        try ZipBomb.write(to: url)
        let fileSize = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)
        #expect(fileSize.intValue < 3 << 20)

        let before = TestSupport.peakResidentKiB()
        #expect(throws: ContainerError.suspiciousRatio(entry: "word/document.xml")) {
            try DocxReader.read(fileAt: url)
        }
        // With the ratio check off, the size caps refuse it just the same.
        var noRatio = ContainerLimits.default
        noRatio.maxRatio = .max
        #expect(throws: ContainerError.tooLarge) { try DocxReader.read(fileAt: url, limits: noRatio) }
        let after = TestSupport.peakResidentKiB()
        print("docx bomb (\(fileSize.intValue) bytes on disk, \(ZipBomb.uncompressedSize) declared): "
            + "peak RSS grew by \(after - before) KiB")
    }

    /// The bomb is a real one: its deflate stream inflates to spaces (checked for the first 8 MiB).
    @Test func theBombIsValidDeflate() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("bomb.docx")
        try ZipBomb.write(to: url)
        let archive = try Archive(url: url, accessMode: .read)
        let entry = try #require(archive["word/document.xml"])
        #expect(entry.uncompressedSize == ZipBomb.uncompressedSize)
        struct Enough: Error {}
        var inflated = 0
        var allSpaces = true
        do {
            _ = try archive.extract(entry, skipCRC32: true) { chunk in
                allSpaces = allSpaces && chunk.allSatisfy { $0 == 0x20 }
                inflated += chunk.count
                if inflated >= 8 << 20 { throw Enough() }
            }
        } catch is Enough {}
        #expect(inflated >= 8 << 20)
        #expect(allSpaces)
    }

    /// A bomb that lies about its size in both headers is stopped while inflating, with bounded memory.
    @Test func stopsALyingBombWhileInflating() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("bomb.docx")
        try ZipBomb.write(to: url)
        try Self.patchDeclaredSize(of: "word/document.xml", in: url, to: 1 << 20)  // claims 1 MiB, ratio ~0.5:1
        #expect(throws: ContainerError.sizeMismatch(entry: "word/document.xml")) { try DocxReader.read(fileAt: url) }
    }

    /// A header that under-declares the inflated size is caught while inflating.
    @Test func stopsInflatingPastTheDeclaredSize() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("liar.docx")
        let body = DocxFixture.document(body: DocxFixture.paragraph(String(repeating: "字", count: 1 << 20)))
        try TestSupport.writeZip([
            ("[Content_Types].xml", Data(DocxFixture.contentTypes().utf8)),
            ("word/document.xml", Data(body.utf8)),
        ], to: url)
        try Self.patchDeclaredSize(of: "word/document.xml", in: url, to: 1000)

        #expect(throws: ContainerError.sizeMismatch(entry: "word/document.xml")) { try DocxReader.read(fileAt: url) }
    }

    @Test func refusesTooManyEntries() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("essay.docx")
        try DocxFixture.writeEssay(to: url)  // 7 entries
        var limits = ContainerLimits.default
        limits.maxEntries = 7
        #expect(try DocxReader.read(fileAt: url, limits: limits).paragraphs.count == 15)
        limits.maxEntries = 6
        #expect(throws: ContainerError.tooManyEntries) { try DocxReader.read(fileAt: url, limits: limits) }
    }

    @Test func refusesOversizedEntriesAndTotals() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("essay.docx")
        try DocxFixture.writeEssay(to: url)
        var perEntry = ContainerLimits.default
        perEntry.maxEntryUncompressed = 50_000  // image2.jpeg declares 56,789 bytes
        #expect(throws: ContainerError.tooLarge) { try DocxReader.read(fileAt: url, limits: perEntry) }
        var total = ContainerLimits.default
        total.maxTotalUncompressed = 60_000
        #expect(throws: ContainerError.tooLarge) { try DocxReader.read(fileAt: url, limits: total) }
    }

    @Test func smallEntriesMayHaveAnyRatio() throws {
        // The media entries are runs of one byte value: they deflate far past 20:1 but sit under the
        // 1 MiB ratio floor, so only a zero floor refuses them (the first one met).
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("essay.docx")
        try DocxFixture.writeEssay(to: url)
        var strict = ContainerLimits.default
        strict.ratioFloor = 0
        strict.maxRatio = 20
        #expect(throws: ContainerError.suspiciousRatio(entry: "word/media/image1.png")) {
            try DocxReader.read(fileAt: url, limits: strict)
        }
        #expect(try DocxReader.read(fileAt: url).paragraphs.count == 15)
    }

    @Test func tellsEncryptedAndNonZipFilesApart() throws {
        #expect(throws: ContainerError.encrypted) {
            try DocxReader.read(fileAt: try TestSupport.fixture("text-encrypted.docx"))
        }
        #expect(throws: ContainerError.notAZip) {
            try DocxReader.read(fileAt: try TestSupport.fixture("text-essay-libreoffice.doc"))
        }
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = dir.appendingPathComponent("fake.docx")
        try Data("PK but not really a zip".utf8).write(to: text)
        #expect(throws: ContainerError.notAZip) { try DocxReader.read(fileAt: text) }
        let empty = dir.appendingPathComponent("empty.docx")
        try Data().write(to: empty)
        #expect(throws: ContainerError.notAZip) { try DocxReader.read(fileAt: empty) }
    }

    /// Rewrites the uncompressed-size fields of `name` in both its local and central headers.
    static func patchDeclaredSize(of name: String, in url: URL, to size: UInt32) throws {
        var bytes = [UInt8](try Data(contentsOf: url))
        let nameBytes = [UInt8](name.utf8)
        let sizeBytes = withUnsafeBytes(of: size.littleEndian) { [UInt8]($0) }
        var patched = 0
        for offset in 0..<(bytes.count - 46) {
            let signature = bytes[offset..<offset + 4]
            if signature.elementsEqual([0x50, 0x4B, 0x03, 0x04]), bytes[(offset + 30)...].starts(with: nameBytes) {
                bytes.replaceSubrange(offset + 22 ..< offset + 26, with: sizeBytes)
                patched += 1
            } else if signature.elementsEqual([0x50, 0x4B, 0x01, 0x02]), bytes[(offset + 46)...].starts(with: nameBytes) {
                bytes.replaceSubrange(offset + 24 ..< offset + 28, with: sizeBytes)
                patched += 1
            }
        }
        #expect(patched == 2)
        try Data(bytes).write(to: url)
    }
}
