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

        #expect(throws: ContainerError.suspiciousRatio(entry: "word/document.xml")) {
            try DocxReader.read(fileAt: url)
        }
        // With the ratio check off, the size caps refuse it just the same.
        var noRatio = ContainerLimits.default
        noRatio.maxRatio = .max
        #expect(throws: ContainerError.tooLarge) { try DocxReader.read(fileAt: url, limits: noRatio) }
        // Memory is bounded in `checkingABombMailStaysSmall`, in a process of its own.
    }

    /// The bomb mailed as an essay and run through `tuibao check --json` in a child process, whose
    /// own peak RSS `/usr/bin/time -f %M` reports (this test process's peak would mix in every
    /// test running in parallel). Baseline: the same check of a mail carrying a small real docx.
    /// Measured on the 2-core dev box (debug build): 47,020 KiB for the small docx, 45,276 KiB for
    /// the bomb. Bound: 200,000 KiB, about 4× that, while inflating even a tenth of the 2 GiB part
    /// into memory would take 210 MB; and the bomb may cost at most 64 MiB over the baseline.
    @Test func checkingABombMailStaysSmall() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bomb = dir.appendingPathComponent("bomb.docx")
        try ZipBomb.write(to: bomb)
        let small = dir.appendingPathComponent("small.docx")
        try DocxFixture.writeEssay(to: small)

        let baseline = try Self.checkInChild(mail: Self.mail(carrying: small, in: dir), in: dir)
        let measured = try Self.checkInChild(mail: Self.mail(carrying: bomb, in: dir), in: dir)
        print("tuibao check peak RSS: small docx \(baseline.peakKiB) KiB, 2 GiB docx bomb \(measured.peakKiB) KiB")
        #expect(baseline.status == 0 && measured.status == 0)
        #expect(baseline.peakKiB > 0)
        #expect(measured.peakKiB < 200_000)
        #expect(measured.peakKiB < baseline.peakKiB + 65_536)

        // Refused as unsafe, by name, and nothing else said about the essay's text.
        let report = try #require(try JSONSerialization.jsonObject(with: Data(measured.output.utf8)) as? [String: Any])
        let submissions = try #require(report["submissions"] as? [[String: Any]])
        let problems = submissions.flatMap { ($0["problems"] as? [[String: Any]]) ?? [] }
        let unsafe = problems.filter { $0["code"] as? String == "attachment.unsafe" }
        #expect(unsafe.count == 1)
        #expect(unsafe.first?["severity"] as? String == "error")
        #expect((unsafe.first?["message"] as? String)?.contains("征文.docx") == true)
        #expect(!problems.contains { ($0["code"] as? String)?.hasPrefix("essay.") == true })
    }

    /// A mail with one attachment, `征文.docx`, base64 in 76-character lines.
    static func mail(carrying file: URL, in dir: URL) throws -> URL {
        let encoded = try Data(contentsOf: file).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let url = dir.appendingPathComponent(file.deletingPathExtension().lastPathComponent + ".eml")
        try Data(("""
        From: =?UTF-8?B?54mp55CG5omA?= <office@iphy.ac.cn>\r
        To: xcb@cashq.ac.cn\r
        Subject: =?UTF-8?B?5o6o5oql5p2Q5paZ?=\r
        Date: Mon, 14 May 2018 09:31:02 +0800\r
        Message-ID: <bomb-check@iphy.ac.cn>\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary=b\r
        \r
        --b\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        老师好，附件是征文。\r
        --b\r
        Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name="=?UTF-8?B?5b6B5paHLmRvY3g=?="\r
        Content-Disposition: attachment; filename="=?UTF-8?B?5b6B5paHLmRvY3g=?="\r
        Content-Transfer-Encoding: base64\r
        \r

        """ + encoded + "\r\n--b--\r\n").utf8).write(to: url)
        return url
    }

    /// Runs `.build/debug/tuibao check --json` under `/usr/bin/time -f %M` (peak RSS in KiB,
    /// written to a file of its own), with no configuration (the notice's defaults).
    static func checkInChild(mail: URL, in dir: URL) throws -> (status: Int32, output: String, peakKiB: Int) {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let binary = repository.appendingPathComponent(".build/debug/tuibao")
        let timing = dir.appendingPathComponent("time-\(UUID().uuidString).txt")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-f", "%M", "-o", timing.path, binary.path, "check", "--json", mail.path]
        process.currentDirectoryURL = dir  // no ./Config/tuibao.toml here
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "TUIBAO_CONFIG" }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // The last line is %M (a failed command adds "Command exited with non-zero status" before it).
        let peak = try String(contentsOf: timing, encoding: .utf8).split(separator: "\n").last.flatMap { Int($0) } ?? -1
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), peak)
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
