import Foundation
import Testing
@testable import Materials

/// Hand-built ISO-BMFF files: box-size edge cases, damaged files, and proof that big files are
/// probed by seeking, not reading.
@Suite("VideoProbe on hand-built files")
struct VideoProbeSyntheticTests {
    typealias B = ISOBoxBuilder

    private func probe(_ bytes: [UInt8]) throws -> VideoInfo {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        return try VideoProbe.probe(fileAt: directory.write(bytes, to: "movie.bin"))
    }

    private func probeError(_ bytes: [UInt8]) throws -> VideoProbeError? {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = try directory.write(bytes, to: "movie.bin")
        do {
            _ = try VideoProbe.probe(fileAt: url)
            return nil
        } catch {
            return error
        }
    }

    @Test func version1HeadersAndLargesizeMediaData() throws {
        let movie = SyntheticMovie(version: 1)
        let info = try probe(movie.fileType + movie.movie + B.largeBox("mdat", B.zeros(64)))
        #expect(info.majorBrand == "mp42")
        #expect(info.compatibleBrands == ["isom", "mp42"])
        #expect(info.isMP4 && !info.isQuickTime)
        #expect(info.durationSeconds == 480)
        #expect(info.width == 1920 && info.height == 1080)
        #expect(info.languages == ["zho"])
        #expect(info.handlerTypes == ["vide"])
        #expect(!info.moovAfterMdat && !info.isFragmented)
    }

    @Test func largesizeMediaDataBeforeMovie() throws {
        let movie = SyntheticMovie(version: 1)
        let info = try probe(movie.fileType + B.largeBox("mdat", B.zeros(100)) + movie.movie)
        #expect(info.moovAfterMdat)
        #expect(info.durationSeconds == 480)
    }

    @Test func version0Headers() throws {
        let movie = SyntheticMovie(version: 0, movieTimescale: 1000, movieDuration: 899_500, language: "eng")
        let info = try probe(movie.fileType + movie.movie + B.box("mdat", B.zeros(8)))
        #expect(info.durationSeconds == 899.5)
        #expect(info.languages == ["eng"])
    }

    @Test(arguments: [(0, 1920, 1080), (90, 1080, 1920), (180, 1920, 1080), (270, 1080, 1920)])
    func matrixRotation(degrees: Int, width: Int, height: Int) throws {
        let movie = SyntheticMovie(clockwiseDegrees: degrees)
        let info = try probe(movie.fileType + movie.movie)
        #expect(info.rotationDegrees == degrees)
        #expect(info.width == width && info.height == height)
    }

    @Test func uuidBoxesAreSkippedAtEveryLevel() throws {
        let movie = SyntheticMovie()
        let vendor = B.box("uuid", B.zeros(16) + Array(repeating: 0xAB, count: 40))
        let info = try probe(movie.fileType + vendor + movie.movie + vendor + B.box("mdat", []))
        #expect(info.durationSeconds == 480)
        #expect(info.width == 1920)
    }

    @Test func sizeZeroBoxRunsToEndOfFile() throws {
        let movie = SyntheticMovie()
        let info = try probe(movie.fileType + movie.movie + B.u32(0) + B.fourCC("mdat") + B.zeros(500))
        #expect(info.durationSeconds == 480)
    }

    @Test func fragmentedMovieUsesMovieExtendsDuration() throws {
        let movie = SyntheticMovie(movieDuration: 0, fragmentDuration: 600 * 330)
        let info = try probe(movie.fileType + movie.movie)
        #expect(info.isFragmented)
        #expect(info.durationSeconds == 330)
    }

    @Test func quickTimeMajorBrandIsNotMP4EvenWithIsomCompatible() throws {
        let movie = SyntheticMovie(major: "qt  ", compatible: ["qt  ", "isom"])
        let info = try probe(movie.fileType + movie.movie)
        #expect(info.isQuickTime)
        #expect(!info.isMP4)
    }

    @Test func compatibleMP4BrandCounts() throws {
        let movie = SyntheticMovie(major: "XAVC", compatible: ["XAVC", "mp42", "iso2"])
        #expect(try probe(movie.fileType + movie.movie).isMP4)
        let threeGPOnly = SyntheticMovie(major: "3gp4", compatible: ["3gp4"])
        #expect(try !probe(threeGPOnly.fileType + threeGPOnly.movie).isMP4)
    }

    // MARK: Damaged and foreign files: errors, never a crash or a hang.

    @Test func textFileIsNotISOBMFF() throws {
        #expect(try probeError(Array("Dear committee, please find attached…".utf8)) == .notISOBMFF)
    }

    @Test func emptyFileIsNotISOBMFF() throws {
        #expect(try probeError([]) == .notISOBMFF)
    }

    @Test func pngIsNotISOBMFF() throws {
        #expect(try probeError([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + B.zeros(40)) == .notISOBMFF)
    }

    @Test func movieCutShortIsTruncated() throws {
        let movie = SyntheticMovie()
        let whole = movie.fileType + movie.movie
        let cut = Array(whole.prefix(movie.fileType.count + 50))
        #expect(try probeError(cut) == .truncated(boxType: "moov", offset: UInt64(movie.fileType.count)))
    }

    @Test func mediaDataCutShortIsTruncated() throws {
        let movie = SyntheticMovie()
        let mdat = B.box("mdat", B.zeros(1000))
        let bytes = movie.fileType + movie.movie + Array(mdat.prefix(300))
        #expect(try probeError(bytes) == .truncated(boxType: "mdat", offset: UInt64(movie.fileType.count + movie.movie.count)))
    }

    @Test func largesizePastEndOfFileIsTruncated() throws {
        let movie = SyntheticMovie()
        let bytes = movie.fileType + movie.movie + B.u32(1) + B.fourCC("mdat") + B.u64(1 << 40) + B.zeros(64)
        #expect(try probeError(bytes) == .truncated(boxType: "mdat", offset: UInt64(movie.fileType.count + movie.movie.count)))
    }

    @Test func partialHeaderAtEndIsTruncated() throws {
        let movie = SyntheticMovie()
        let offset = movie.fileType.count + movie.movie.count
        #expect(try probeError(movie.fileType + movie.movie + [0, 0, 0]) == .truncated(boxType: "", offset: UInt64(offset)))
    }

    @Test(arguments: [2 as UInt32, 4, 7])
    func sizeBelowHeaderIsInvalid(size: UInt32) throws {
        let movie = SyntheticMovie()
        let bytes = movie.fileType + B.u32(size) + B.fourCC("free") + B.zeros(16) + movie.movie
        #expect(try probeError(bytes) == .invalidBoxSize(boxType: "free", offset: UInt64(movie.fileType.count)))
    }

    @Test func largesizeBelowSixteenIsInvalid() throws {
        let movie = SyntheticMovie()
        let bytes = movie.fileType + B.u32(1) + B.fourCC("mdat") + B.u64(12) + movie.movie
        #expect(try probeError(bytes) == .invalidBoxSize(boxType: "mdat", offset: UInt64(movie.fileType.count)))
    }

    @Test func childLargerThanParentIsInvalid() throws {
        let movie = SyntheticMovie()
        // A moov whose only child claims 4 KB.
        let moov = B.box("moov", B.u32(4096) + B.fourCC("trak") + B.zeros(24))
        let offset = UInt64(movie.fileType.count + 8)
        #expect(try probeError(movie.fileType + moov) == .invalidBoxSize(boxType: "trak", offset: offset))
    }

    @Test func fileTypeOnlyHasNoMovie() throws {
        #expect(try probeError(B.fileType(major: "heic", compatible: ["mif1", "heic"])) == .missingMovieBox)
    }

    @Test func movieWithoutHeader() throws {
        let bytes = B.fileType(major: "isom", compatible: []) + B.box("moov", B.box("free", []))
        #expect(try probeError(bytes) == .missingMovieHeader)
    }

    @Test func shortMovieHeaderIsMalformed() throws {
        let movie = SyntheticMovie()
        let offset = UInt64(movie.fileType.count + 8)
        let bytes = movie.fileType + B.box("moov", B.fullBox("mvhd", version: 1, B.zeros(6)))
        #expect(try probeError(bytes) == .malformedBox(boxType: "mvhd", offset: offset))
    }

    @Test func boxBudgetStopsEndlessTinyBoxes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = try directory.write(B.fileType(major: "isom", compatible: [])
            + Array(repeating: B.box("free", []), count: 50).flatMap { $0 }, to: "tiny.mp4")
        let scanner = try ISOBoxScanner(reader: FileByteReader(url: url), boxBudget: 20)
        #expect(throws: ISOBoxError.tooManyBoxes) { try scanner.topLevelBoxes() }
    }

    @Test func errorsDescribeThemselvesInEnglish() {
        #expect(VideoProbeError.notISOBMFF.description.contains("ftyp"))
        #expect(VideoProbeError.truncated(boxType: "mdat", offset: 40).description
            == "the file is truncated: box 'mdat' at offset 40 runs past the end")
    }

    // MARK: Seeking, not reading

    /// A 300 MB sparse file: ftyp, an mdat header spanning almost all of it, moov at the very end.
    @Test func largeFileIsProbedByReadingOnlyAFewKilobytes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.file("large.mp4")
        let movie = SyntheticMovie(version: 0, movieTimescale: 1000, movieDuration: 600_000)
        let fileSize: UInt64 = 300_000_000
        let moov = movie.movie
        let mdatSize = fileSize - UInt64(movie.fileType.count) - UInt64(moov.count)
        try Data(movie.fileType + B.u32(UInt32(mdatSize)) + B.fourCC("mdat")).write(to: url)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: fileSize - UInt64(moov.count))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(moov))
        try handle.close()

        let reader = try FileByteReader(url: url)
        #expect(reader.fileSize == fileSize)
        let info = try VideoProbe.probe(reader: reader)
        #expect(info.durationSeconds == 600)
        #expect(info.moovAfterMdat)
        #expect(reader.bytesRead < 64 * 1024, "read \(reader.bytesRead) bytes")
    }
}
