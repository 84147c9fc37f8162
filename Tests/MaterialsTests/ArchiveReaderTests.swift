import Foundation
import Testing
@testable import Materials

struct ArchiveReaderTests {
    /// A zip by 7-Zip: our listing equals 7-Zip's and Python's, and every extracted byte matches.
    @Test func zipListingAndExtractionMatchIndependentTools() throws {
        let sources = try ArchiveSources()
        let zip = sources.folder.file("材料.zip")
        try CommandLineTool.run("7zz", ["a", "-tzip", "-bd", zip.path, "征文.txt", "images", "推报表.docx"], in: sources.source)

        let entries = try ArchiveReader.list(fileAt: zip)
        #expect(entries.fileSizes == ["征文.txt": 8400, "images/照片1.jpg": 3004, "推报表.docx": 1234])
        #expect(entries.fileSizes == (try SevenZipListing.files(of: zip)))
        let python = try CommandLineTool.python("""
        import sys, zipfile
        for i in zipfile.ZipFile(sys.argv[1]).infolist():
            if not i.is_dir(): print(f"{i.filename}\\t{i.file_size}")
        """, [zip.path])
        let pythonSizes = Dictionary(uniqueKeysWithValues: python.split(separator: "\n").map { line in
            let parts = line.split(separator: "\t")
            return (String(parts[0]), Int(parts[1]) ?? -1)
        })
        #expect(entries.fileSizes == pythonSizes)
        #expect(entries.allSatisfy { !$0.isEncrypted })

        let extraction = try ArchiveReader.extract(fileAt: zip, into: sources.folder.file("out"))
        try expectExtracted(extraction, match: sources)
    }

    @Test func sevenZipWithChineseNames() throws {
        let sources = try ArchiveSources()
        let archive = sources.folder.file("材料.7z")
        try CommandLineTool.run("7zz", ["a", "-t7z", "-bd", archive.path, "征文.txt", "images", "推报表.docx"], in: sources.source)

        let entries = try ArchiveReader.list(fileAt: archive)
        #expect(entries.fileSizes == (try SevenZipListing.files(of: archive)))
        #expect(entries.fileSizes == ["征文.txt": 8400, "images/照片1.jpg": 3004, "推报表.docx": 1234])
        try expectExtracted(try ArchiveReader.extract(fileAt: archive, into: sources.folder.file("out")), match: sources)
    }

    @Test func tarGzFromBsdtar() throws {
        let sources = try ArchiveSources()
        let archive = sources.folder.file("材料.tar.gz")
        try CommandLineTool.run("bsdtar", ["-a", "-cf", archive.path, "征文.txt", "images", "推报表.docx"], in: sources.source)

        let entries = try ArchiveReader.list(fileAt: archive)
        let python = try CommandLineTool.python("""
        import sys, tarfile
        for m in tarfile.open(sys.argv[1]):
            if m.isfile(): print(f"{m.name}\\t{m.size}")
        """, [archive.path])
        let pythonSizes = Dictionary(uniqueKeysWithValues: python.split(separator: "\n").map { line in
            let parts = line.split(separator: "\t")
            return (String(parts[0]), Int(parts[1]) ?? -1)
        })
        #expect(entries.fileSizes == pythonSizes)
        #expect(entries.contains { $0.name == "images/" && $0.kind == .directory })
        try expectExtracted(try ArchiveReader.extract(fileAt: archive, into: sources.folder.file("out")), match: sources)
    }

    /// Zips from Chinese Windows carry GBK names without the UTF-8 flag.
    @Test func gbkNamesWithoutTheUTF8Flag() throws {
        let folder = try ScratchFolder()
        let zip = folder.file("gbk.zip")
        try CommandLineTool.python("""
        import sys, zipfile
        class GBKName(zipfile.ZipInfo):
            def _encodeFilenameFlags(self):
                return self.filename.encode("cp936"), self.flag_bits  # raw GBK, no UTF-8 flag (0x800)
        with zipfile.ZipFile(sys.argv[1], "w") as z:
            z.writestr(GBKName("材料/征文（定稿）.txt"), "征文正文".encode("utf-8"))
            z.writestr(GBKName("推报表·物理所.docx"), b"docx")
            z.writestr("utf8名称.txt", b"flagged")
        """, [zip.path])
        let raw = try Data(contentsOf: zip)
        #expect(raw.range(of: Data("材料/征文（定稿）.txt".utf8)) == nil) // really GBK on disk

        let entries = try ArchiveReader.list(fileAt: zip)
        #expect(entries.map(\.name) == ["材料/征文（定稿）.txt", "推报表·物理所.docx", "utf8名称.txt"])
        #expect(entries.map(\.size) == [12, 4, 7])
        #expect(entries[0].lastComponent == "征文（定稿）.txt")

        let extraction = try ArchiveReader.extract(fileAt: zip, into: folder.file("out"))
        #expect(extraction.files.map(\.name) == entries.map(\.name))
        #expect(try String(contentsOf: extraction.files[0].localURL, encoding: .utf8) == "征文正文")
    }

    @Test func decodingPrefersUTF8ThenGB18030() {
        #expect(LegacyTextDecoding.decode(Array("征文".utf8)) == "征文")
        #expect(LegacyTextDecoding.decode([0xD5, 0xF7, 0xCE, 0xC4]) == "征文")
        #expect(LegacyTextDecoding.decode([0x81, 0x30, 0x81, 0x30]) == "\u{80}") // a 4-byte GB18030 sequence
        #expect(LegacyTextDecoding.decode(Array("e\u{301}".utf8)) == "\u{E9}") // NFC
        #expect(LegacyTextDecoding.decode([0xFF]) == "\u{FFFD}")
    }

    /// Names are data: traversal, absolute paths, backslashes, NUL and very long names all land in
    /// numbered files inside the target folder; links are skipped and reported.
    @Test func hostileZipNamesAreHarmless() throws {
        let folder = try ScratchFolder()
        let zip = folder.file("hostile.zip")
        let longName = String(repeating: "长", count: 300) + ".txt"
        try CommandLineTool.python("""
        import sys, zipfile
        path, long_name = sys.argv[1], sys.argv[2]
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("../../etc/passwd", b"root:x:0:0")
            z.writestr("/etc/shadow", b"shadow")
            z.writestr("C:\\\\Windows\\\\System32\\\\evil.dll", b"MZ")
            z.writestr(long_name, b"long")
            z.writestr("nulXbyte.txt", b"nul")
            z.writestr("dir/", b"")
            link = zipfile.ZipInfo("link-to-passwd")
            link.create_system = 3
            link.external_attr = 0o120777 << 16
            z.writestr(link, b"../../../../etc/passwd")
        data = open(path, "rb").read().replace(b"nulXbyte.txt", b"nul\\x00byte.txt")
        open(path, "wb").write(data)
        """, [zip.path, longName])

        let out = folder.file("out")
        let extraction = try ArchiveReader.extract(fileAt: zip, into: out)
        // libarchive turns the Windows separators into "/"; the stored NUL ends the name.
        #expect(extraction.files.map(\.name) == ["../../etc/passwd", "/etc/shadow", "C:/Windows/System32/evil.dll",
                                                 longName, "nul"])
        #expect(extraction.files.map(\.size) == [10, 6, 2, 4, 3])
        #expect(extraction.files.map(\.localURL.lastPathComponent) == ["entry-001", "entry-002", "entry-003", "entry-004", "entry-005"])
        #expect(ArchiveEntry(name: "C:\\Windows\\evil.dll", size: 0, isEncrypted: false, kind: .file).lastComponent == "evil.dll")
        #expect(extraction.skipped == [ArchiveEntry(name: "link-to-passwd", size: 0, isEncrypted: false, kind: .symbolicLink)])
        #expect(try folder.contents(of: "out") == ["entry-001", "entry-002", "entry-003", "entry-004", "entry-005"])
        #expect(try folder.contents() == ["hostile.zip", "out", "out/entry-001", "out/entry-002", "out/entry-003",
                                          "out/entry-004", "out/entry-005"])
        #expect(try Data(contentsOf: extraction.files[0].localURL) == Data("root:x:0:0".utf8))
    }

    @Test func tarLinksAndDevicesAreSkippedAndReported() throws {
        let folder = try ScratchFolder()
        let archive = folder.file("links.tar")
        try CommandLineTool.python("""
        import io, sys, tarfile
        with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
            def add(name, kind, data=b"", link=""):
                info = tarfile.TarInfo(name); info.type = kind; info.size = len(data); info.linkname = link
                if kind == tarfile.CHRTYPE: info.devmajor, info.devminor = 1, 3
                t.addfile(info, io.BytesIO(data) if data else None)
            add("regular.txt", tarfile.REGTYPE, b"regular")
            add("folder", tarfile.DIRTYPE)
            add("../../escape.txt", tarfile.REGTYPE, b"escape")
            add("symlink", tarfile.SYMTYPE, link="/etc/passwd")
            add("hardlink", tarfile.LNKTYPE, link="regular.txt")
            add("null-device", tarfile.CHRTYPE)
            add("pipe", tarfile.FIFOTYPE)
        """, [archive.path])

        let extraction = try ArchiveReader.extract(fileAt: archive, into: folder.file("out"))
        #expect(extraction.files.map(\.name) == ["regular.txt", "../../escape.txt"])
        #expect(extraction.skipped.map(\.name) == ["symlink", "hardlink", "null-device", "pipe"])
        #expect(extraction.skipped.map(\.kind) == [.symbolicLink, .hardLink, .other, .other])
        #expect(try folder.contents(of: "out") == ["entry-001", "entry-002"])
        #expect(!FileManager.default.fileExists(atPath: folder.url.deletingLastPathComponent().appendingPathComponent("escape.txt").path))
    }

    @Test(arguments: [["-tzip"], ["-tzip", "-mem=AES256"], ["-t7z"]])
    func encryptedEntriesAreFlaggedAndRefused(options: [String]) throws {
        let sources = try ArchiveSources()
        let archive = sources.folder.file(options[0] == "-t7z" ? "secret.7z" : "secret.zip")
        try CommandLineTool.run("7zz", ["a", "-bd", "-psecret"] + options + [archive.path, "征文.txt"], in: sources.source)

        let entries = try ArchiveReader.list(fileAt: archive)
        #expect(entries.map(\.name) == ["征文.txt"])
        #expect(entries.map(\.isEncrypted) == [true])
        let error = #expect(throws: ArchiveReaderError.encrypted) {
            try ArchiveReader.extract(fileAt: archive, into: sources.folder.file("out"))
        }
        #expect(error?.unsafeReason == .encryptedArchive)
        #expect(try sources.folder.contents(of: "out") == [])
    }

    @Test func sevenZipWithEncryptedHeadersCannotEvenBeListed() throws {
        let sources = try ArchiveSources()
        let archive = sources.folder.file("secret.7z")
        try CommandLineTool.run("7zz", ["a", "-bd", "-t7z", "-psecret", "-mhe=on", archive.path, "征文.txt"], in: sources.source)
        let listing = try CommandLineTool.run("7zz", ["l", "-p", archive.path], allowFailure: true)
        #expect(listing.status != 0) // 7-Zip cannot list it without the password either

        #expect(throws: ArchiveReaderError.encrypted) { try ArchiveReader.list(fileAt: archive) }
        #expect(throws: ArchiveReaderError.encrypted) { try ArchiveReader.extract(fileAt: archive, into: sources.folder.file("out")) }
    }

    /// One 1 GiB file of zeros, deflated to about 1 MB, streamed by Python so the test never
    /// holds it. The caps refuse it long before the gigabyte, and what was written is removed.
    @Test func zipBombIsRefusedByTheCaps() throws {
        let folder = try ScratchFolder()
        let bomb = folder.file("bomb.zip")
        try CommandLineTool.python("""
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
            with z.open("zeros.bin", "w", force_zip64=True) as f:
                chunk = bytes(1 << 20)
                for _ in range(1024): f.write(chunk)
        """, [bomb.path])
        #expect(try SevenZipListing.files(of: bomb) == ["zeros.bin": 1 << 30])

        // Declared sizes alone: listing passes the default cap, fails a smaller one.
        #expect(try ArchiveReader.list(fileAt: bomb).fileSizes == ["zeros.bin": 1 << 30])
        #expect(throws: ArchiveReaderError.tooLarge(limit: 512 << 20)) {
            try ArchiveReader.list(fileAt: bomb, limits: ArchiveLimits(maxTotalBytes: 512 << 20))
        }

        // The compression ratio stops it after a few MiB.
        let ratioError = #expect(throws: ArchiveReaderError.compressionRatio(entry: "zeros.bin", limit: 200)) {
            try ArchiveReader.extract(fileAt: bomb, into: folder.file("out-ratio"))
        }
        #expect(ratioError?.unsafeReason == .archiveBomb("entry \"zeros.bin\" compresses more than 200:1"))
        #expect(try folder.contents(of: "out-ratio") == [])

        // With the ratio cap out of the way, the total cap stops it, refusing the declared size
        // before the first byte.
        let lenient = ArchiveLimits(maxTotalBytes: 16 << 20, maxCompressionRatio: 1_000_000)
        #expect(throws: ArchiveReaderError.tooLarge(limit: 16 << 20)) {
            try ArchiveReader.extract(fileAt: bomb, into: folder.file("out-total"), limits: lenient)
        }
        #expect(try folder.contents(of: "out-total") == [])
    }

    /// A zip whose headers declare 1000 bytes for 32 MiB of data: libarchive hands over all of it,
    /// so only counting while reading keeps the cap.
    @Test func totalCapCountsRealBytesNotDeclaredSizes() throws {
        let folder = try ScratchFolder()
        let zip = folder.file("liar.zip")
        try CommandLineTool.python("""
        import struct, sys, zipfile
        with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("small.txt", bytes(32 << 20))
        data = bytearray(open(sys.argv[1], "rb").read())
        struct.pack_into("<I", data, 22, 1000)                           # local header
        struct.pack_into("<I", data, data.find(b"PK\\x01\\x02") + 24, 1000)  # central directory
        open(sys.argv[1], "wb").write(data)
        """, [zip.path])
        #expect(try ArchiveReader.list(fileAt: zip).fileSizes == ["small.txt": 1000])

        let limits = ArchiveLimits(maxTotalBytes: 8 << 20, maxCompressionRatio: 1_000_000)
        #expect(throws: ArchiveReaderError.tooLarge(limit: 8 << 20)) {
            try ArchiveReader.extract(fileAt: zip, into: folder.file("out"), limits: limits)
        }
        #expect(try folder.contents(of: "out") == [])
    }

    /// A bomb entry hidden beside a large incompressible file: the whole archive's ratio is
    /// modest, the entry's is not.
    @Test func perEntryRatioCatchesABombBesideRealData() throws {
        let folder = try ScratchFolder()
        let zip = folder.file("mixed.zip")
        try CommandLineTool.python("""
        import random, sys, zipfile
        random.seed(7)
        with zipfile.ZipFile(sys.argv[1], "w") as z:
            z.writestr("video.mp4", random.randbytes(48 << 20), zipfile.ZIP_STORED)
            z.writestr("padding.bin", bytes(64 << 20), zipfile.ZIP_DEFLATED)
        """, [zip.path])
        let error = #expect(throws: ArchiveReaderError.self) {
            try ArchiveReader.extract(fileAt: zip, into: folder.file("out"))
        }
        #expect(error == .compressionRatio(entry: "padding.bin", limit: 200))
        #expect(try folder.contents(of: "out") == [])
    }

    @Test func tooManyEntries() throws {
        let folder = try ScratchFolder()
        let zip = folder.file("many.zip")
        try CommandLineTool.python("""
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], "w") as z:
            for index in range(20): z.writestr(f"f{index}.txt", b"x")
        """, [zip.path])
        let limits = ArchiveLimits(maxEntries: 10)
        let error = #expect(throws: ArchiveReaderError.tooManyEntries(limit: 10)) {
            try ArchiveReader.list(fileAt: zip, limits: limits)
        }
        #expect(error?.unsafeReason == .archiveBomb("archive has more than 10 entries"))
        #expect(throws: ArchiveReaderError.tooManyEntries(limit: 10)) {
            try ArchiveReader.extract(fileAt: zip, into: folder.file("out"), limits: limits)
        }
        #expect(try folder.contents(of: "out") == [])
        #expect(try ArchiveReader.list(fileAt: zip).count == 20)
    }

    /// The caller recurses into archives found inside archives, passing the depth.
    @Test func nestedArchivesAreLimitedByDepth() throws {
        let sources = try ArchiveSources()
        let inner = sources.folder.file("inner.zip")
        try CommandLineTool.run("7zz", ["a", "-tzip", "-bd", inner.path, "征文.txt"], in: sources.source)
        let outer = sources.folder.file("outer.zip")
        try CommandLineTool.run("7zz", ["a", "-tzip", "-bd", outer.path, inner.path])

        let limits = ArchiveLimits(maxNestingDepth: 1)
        let first = try ArchiveReader.extract(fileAt: outer, into: sources.folder.file("d0"), limits: limits, depth: 0)
        let innerCopy = try #require(first.files.first)
        #expect(innerCopy.name == "inner.zip")
        #expect(ArchiveReader.looksLikeArchive(header: try Data(contentsOf: innerCopy.localURL).prefix(512)))
        let second = try ArchiveReader.extract(fileAt: innerCopy.localURL, into: sources.folder.file("d1"), limits: limits, depth: 1)
        #expect(second.files.map(\.name) == ["征文.txt"])
        let error = #expect(throws: ArchiveReaderError.nestedTooDeep(depth: 2, limit: 1)) {
            try ArchiveReader.list(fileAt: innerCopy.localURL, limits: limits, depth: 2)
        }
        #expect(error?.unsafeReason == .nestedTooDeep)
    }

    @Test func recognisesArchiveHeaders() {
        #expect(ArchiveReader.looksLikeArchive(header: [0x50, 0x4B, 0x03, 0x04]))
        #expect(ArchiveReader.looksLikeArchive(header: Array("Rar!\u{1A}\u{07}\u{01}\u{00}".utf8)))
        #expect(ArchiveReader.looksLikeArchive(header: [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]))
        #expect(ArchiveReader.looksLikeArchive(header: [0x1F, 0x8B, 0x08]))
        #expect(ArchiveReader.looksLikeArchive(header: [UInt8](repeating: 0, count: 257) + Array("ustar\u{0}00".utf8)))
        #expect(!ArchiveReader.looksLikeArchive(header: Array("%PDF-1.7".utf8)))
        #expect(!ArchiveReader.looksLikeArchive(header: []))
    }

    /// RAR cannot be made here (Debian's rar is non-free, and Debian's 7-Zip reads no RAR): the
    /// fixture is a RAR4 archive with two stored files written by Fixtures/make_rar4.py.
    @Test func handmadeRAR4Fixture() throws {
        let rar = Fixture.url("stored.rar")
        let entries = try ArchiveReader.list(fileAt: rar)
        #expect(entries == [ArchiveEntry(name: "readme.txt", size: 34, isEncrypted: false, kind: .file),
                            ArchiveEntry(name: "征文.txt", size: 18, isEncrypted: false, kind: .file)])
        let folder = try ScratchFolder()
        let extraction = try ArchiveReader.extract(fileAt: rar, into: folder.file("out"))
        #expect(try extraction.files.map { try Data(contentsOf: $0.localURL) } ==
                [Data("stored in a handmade RAR4 archive\n".utf8), Data("一所一人一事".utf8)])
        #expect(ArchiveReader.looksLikeArchive(header: try Data(contentsOf: rar)))
    }

    @Test func notAnArchive() throws {
        let folder = try ScratchFolder()
        let text = try folder.write("征文.txt", Data(String(repeating: "正文", count: 400).utf8))
        let error = #expect(throws: ArchiveReaderError.self) { try ArchiveReader.list(fileAt: text) }
        #expect(error?.unsafeReason == nil)
        #expect(throws: ArchiveReaderError.self) { try ArchiveReader.list(fileAt: folder.file("missing.zip")) }
    }

    private func expectExtracted(_ extraction: ArchiveExtraction, match sources: ArchiveSources,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(Set(extraction.files.map(\.name)) == Set(sources.files.keys), sourceLocation: sourceLocation)
        #expect(extraction.skipped.isEmpty, sourceLocation: sourceLocation)
        for (index, file) in extraction.files.enumerated() {
            #expect(file.localURL.lastPathComponent == String(format: "entry-%03d", index + 1), sourceLocation: sourceLocation)
            #expect(file.size == sources.files[file.name]?.count, sourceLocation: sourceLocation)
            #expect(try CommandLineTool.sha256(of: file.localURL) == (try sources.sha256(of: file.name)),
                    sourceLocation: sourceLocation)
        }
    }
}
