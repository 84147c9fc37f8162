import Foundation
import Testing
@testable import Materials

/// Real files from ffmpeg 5.1, checked against ffprobe and against what each was made to be.
@Suite("VideoProbe on ffmpeg-made files")
struct VideoProbeFFmpegTests {
    typealias Kind = VideoFixtures.Kind

    /// ffprobe's display-matrix "rotation" is counter-clockwise; ours is clockwise.
    static func clockwise(fromFFprobe rotation: Int?) -> Int {
        ((-(rotation ?? 0)) % 360 + 360) % 360
    }

    @Test("agrees with ffprobe on duration, size, rotation, brands and languages", arguments: Kind.allCases)
    func agreesWithFFprobe(kind: Kind) throws {
        let fixtures = try VideoFixtures.get()
        let report = try fixtures.report(kind)
        let info = try VideoProbe.probe(fileAt: fixtures.url(kind))

        #expect(abs(info.durationSeconds - report.durationSeconds) < 0.1)
        #expect(info.majorBrand == report.majorBrand)
        #expect(info.compatibleBrands.joined() == report.compatibleBrands)

        let video = try #require(report.firstVideo)
        let rotation = Self.clockwise(fromFFprobe: video.rotation)
        #expect(info.rotationDegrees == rotation)
        let quarterTurn = rotation == 90 || rotation == 270
        #expect(info.width == (quarterTurn ? video.height : video.width))
        #expect(info.height == (quarterTurn ? video.width : video.height))

        #expect(info.handlerTypes.count == report.streams.count)
        if kind != .quickTime {
            // MP4 stores ISO 639-2 codes as written; ffprobe omits "und"-less tags, never here.
            #expect(info.languages == report.streams.map { $0.language ?? "und" })
        }
    }

    @Test func landscape1080IsMP4WithMovieAfterMediaData() throws {
        let info = try VideoProbe.probe(fileAt: VideoFixtures.get().url(.landscape1080))
        #expect(info.majorBrand == "isom")
        #expect(info.compatibleBrands == ["isom", "iso2", "avc1", "mp41"])
        #expect(info.isMP4)
        #expect(!info.isQuickTime)
        #expect(abs(info.durationSeconds - 360) < 0.1)
        #expect(info.width == 1920 && info.height == 1080)
        #expect(info.rotationDegrees == 0)
        #expect(info.handlerTypes == ["vide", "soun"])
        #expect(info.languages == ["und", "chi"])
        #expect(!info.isFragmented)
        #expect(info.moovAfterMdat)
    }

    @Test func faststartPutsMovieFirst() throws {
        let info = try VideoProbe.probe(fileAt: VideoFixtures.get().url(.faststart))
        #expect(!info.moovAfterMdat)
        #expect(info.isMP4 && !info.isFragmented)
        #expect(abs(info.durationSeconds - 360) < 0.1)
    }

    @Test func hd720ReportsItsSizeAndTerminologyLanguageCode() throws {
        let info = try VideoProbe.probe(fileAt: VideoFixtures.get().url(.hd720))
        #expect(info.width == 1280 && info.height == 720)
        #expect(info.languages == ["und", "zho"])
    }

    @Test func portraitIsReportedAsCoded() throws {
        let info = try VideoProbe.probe(fileAt: VideoFixtures.get().url(.portrait))
        #expect(info.width == 1080 && info.height == 1920)
        #expect(info.rotationDegrees == 0)
        #expect(abs(info.durationSeconds - 420) < 0.1)
        #expect(info.handlerTypes == ["vide"])
    }

    @Test func twentyMinuteDuration() throws {
        let info = try VideoProbe.probe(fileAt: VideoFixtures.get().url(.twentyMinutes))
        #expect(abs(info.durationSeconds - 1200) < 0.1)
    }

    /// ffmpeg 5.1 turns `rotate=90` into a matrix that ffprobe reads as +90 (counter-clockwise),
    /// i.e. a 270° clockwise display turn; `rotate=270` becomes 90° clockwise. Both swap the size.
    @Test func rotationTagsBecomeQuarterTurnsAndSwapTheSize() throws {
        let fixtures = try VideoFixtures.get()
        let tagged90 = try VideoProbe.probe(fileAt: fixtures.url(.rotate90Tag))
        #expect(try fixtures.report(.rotate90Tag).firstVideo?.rotation == 90)
        #expect(tagged90.rotationDegrees == 270)
        #expect(tagged90.width == 1080 && tagged90.height == 1920)

        let tagged270 = try VideoProbe.probe(fileAt: fixtures.url(.rotate270Tag))
        #expect(try fixtures.report(.rotate270Tag).firstVideo?.rotation == -90)
        #expect(tagged270.rotationDegrees == 90)
        #expect(tagged270.width == 1080 && tagged270.height == 1920)
    }

    @Test func quickTimeIsNotMP4() throws {
        let info = try VideoProbe.probe(fileAt: VideoFixtures.get().url(.quickTime))
        #expect(info.majorBrand == "qt  ")
        #expect(info.compatibleBrands == ["qt  "])
        #expect(info.isQuickTime)
        #expect(!info.isMP4)
        #expect(info.width == 1920 && info.height == 1080)
        #expect(abs(info.durationSeconds - 360) < 0.1)
        // The mov muxer writes 0x7FFF (unspecified) for video and Macintosh code 19 for "chi";
        // ffprobe shows that as "chi", we as ISO 639-2/T "zho".
        #expect(info.languages == ["und", "zho"])
        #expect(try VideoFixtures.get().report(.quickTime).streams.map(\.language) == [nil, "chi"])
    }

    @Test func fragmentedDurationComesFromTrackRuns() throws {
        let info = try VideoProbe.probe(fileAt: VideoFixtures.get().url(.fragmented))
        #expect(info.isFragmented)
        #expect(!info.moovAfterMdat)
        #expect(info.compatibleBrands.contains("iso6"))
        // mvhd says 0 and there is no mehd, so the trun sample durations are summed: ffmpeg stretches
        // the first video sample and trims the last audio one so both tracks total 360.128 s.
        #expect(abs(info.durationSeconds - 360.128) < 0.001)
        #expect(abs(info.durationSeconds - (try VideoFixtures.get().report(.fragmented).durationSeconds)) < 0.001)
        #expect(info.width == 1920 && info.height == 1080)
        #expect(info.languages == ["und", "chi"])
    }

    @Test func imageProbeRefusesVideos() throws {
        #expect(try ImageProbe.probe(fileAt: VideoFixtures.get().url(.landscape1080)) == nil)
        #expect(try ImageProbe.probe(fileAt: VideoFixtures.get().url(.quickTime)) == nil)
    }
}
