/// What one `trak` says about itself.
struct TrackSummary: Sendable, Equatable {
    var trackID: UInt32 = 0
    var handlerType = ""
    var language = "und"
    var timescale: UInt32 = 0
    /// `tkhd` width and height, rounded from 16.16 fixed point.
    var headerWidth = 0
    var headerHeight = 0
    var clockwiseRotation = 0
    /// Width and height of the first visual sample entry, read only when `tkhd` gives no size.
    var sampleEntryWidth = 0
    var sampleEntryHeight = 0

    var isVideo: Bool { handlerType == "vide" }
}

/// What `moov` says about the movie.
struct MovieSummary: Sendable, Equatable {
    var timescale: UInt32 = 0
    var duration: UInt64 = 0
    /// `mvex/mehd` fragment duration in the movie timescale; 0 when absent.
    var fragmentDuration: UInt64 = 0
    var hasMovieExtends = false
    var tracks: [TrackSummary] = []
    /// `mvex/trex` default sample duration per track ID, for `trun`s that carry none.
    var defaultSampleDurations: [UInt32: UInt32] = [:]
}

/// Reads `moov` along a fixed path: mvhd, trak/(tkhd, mdia/(mdhd, hdlr, minf/stbl/stsd)), mvex.
/// Sample tables and edit lists are not needed for the facts we report and are skipped.
enum MovieBoxParser {
    static func parse(_ moov: ISOBoxHeader, scanner: ISOBoxScanner) throws -> MovieSummary {
        var movie = MovieSummary()
        let children = try scanner.children(of: moov)
        guard let mvhd = children.first(ofType: "mvhd") else { throw VideoProbeError.missingMovieHeader }
        (movie.timescale, movie.duration) = try timescaleAndDuration(of: mvhd, scanner: scanner, versionOneOffset: 20,
                                                                     versionZeroOffset: 12)
        for trak in children.all(ofType: "trak") {
            movie.tracks.append(try parseTrack(trak, scanner: scanner))
        }
        if let mvex = children.first(ofType: "mvex") {
            movie.hasMovieExtends = true
            try parseMovieExtends(mvex, scanner: scanner, into: &movie)
        }
        return movie
    }

    /// Timescale and duration of an `mvhd` or `mdhd`: both put them after the creation and
    /// modification times, which are 32-bit in version 0 and 64-bit in version 1.
    private static func timescaleAndDuration(of box: ISOBoxHeader, scanner: ISOBoxScanner,
                                             versionOneOffset: Int, versionZeroOffset: Int) throws -> (UInt32, UInt64) {
        let payload = try scanner.payload(of: box)
        guard let version = payload.uint8(at: 0) else { throw malformed(box) }
        if version == 1 {
            guard let timescale = payload.uint32(at: versionOneOffset),
                  let duration = payload.uint64(at: versionOneOffset + 4) else { throw malformed(box) }
            return (timescale, duration == UInt64.max ? 0 : duration)
        }
        guard let timescale = payload.uint32(at: versionZeroOffset),
              let duration = payload.uint32(at: versionZeroOffset + 4) else { throw malformed(box) }
        // All ones means "unknown" in both versions.
        return (timescale, duration == UInt32.max ? 0 : UInt64(duration))
    }

    private static func parseTrack(_ trak: ISOBoxHeader, scanner: ISOBoxScanner) throws -> TrackSummary {
        var track = TrackSummary()
        let children = try scanner.children(of: trak)
        if let tkhd = children.first(ofType: "tkhd") {
            try parseTrackHeader(tkhd, scanner: scanner, into: &track)
        }
        guard let mdia = children.first(ofType: "mdia") else { return track }
        let media = try scanner.children(of: mdia)
        if let mdhd = media.first(ofType: "mdhd") {
            let payload = try scanner.payload(of: mdhd)
            let languageOffset = payload.uint8(at: 0) == 1 ? 32 : 20
            guard let packed = payload.uint16(at: languageOffset) else { throw malformed(mdhd) }
            track.language = MediaLanguageCode.decode(packed)
            (track.timescale, _) = try timescaleAndDuration(of: mdhd, scanner: scanner, versionOneOffset: 20,
                                                            versionZeroOffset: 12)
        }
        if let hdlr = media.first(ofType: "hdlr") {
            guard let handler = try scanner.payload(of: hdlr).fourCC(at: 8) else { throw malformed(hdlr) }
            track.handlerType = handler
        }
        if track.isVideo, track.headerWidth == 0 || track.headerHeight == 0, let minf = media.first(ofType: "minf") {
            try readSampleEntrySize(minf, scanner: scanner, into: &track)
        }
        return track
    }

    /// Track ID, matrix and size. Version 1 widens the three time fields before the matrix by 12 bytes.
    private static func parseTrackHeader(_ tkhd: ISOBoxHeader, scanner: ISOBoxScanner,
                                         into track: inout TrackSummary) throws {
        let payload = try scanner.payload(of: tkhd)
        let shift = payload.uint8(at: 0) == 1 ? 12 : 0
        guard let trackID = payload.uint32(at: 12 + (shift == 0 ? 0 : 8)),
              let a = payload.int32(at: 40 + shift), let b = payload.int32(at: 44 + shift),
              let width = payload.uint32(at: 76 + shift), let height = payload.uint32(at: 80 + shift) else {
            throw malformed(tkhd)
        }
        track.trackID = trackID
        track.clockwiseRotation = TrackMatrix.clockwiseRotation(a: a, b: b)
        track.headerWidth = Int((UInt64(width) + 0x8000) >> 16)
        track.headerHeight = Int((UInt64(height) + 0x8000) >> 16)
    }

    /// Fallback size from the first VisualSampleEntry in `stsd` (width, height at bytes 32 and 34 of
    /// the entry). Reads only the first few dozen bytes of `stsd`.
    private static func readSampleEntrySize(_ minf: ISOBoxHeader, scanner: ISOBoxScanner,
                                            into track: inout TrackSummary) throws {
        guard let stbl = try scanner.children(of: minf).first(ofType: "stbl"),
              let stsd = try scanner.children(of: stbl).first(ofType: "stsd") else { return }
        let wanted = Int(min(stsd.payloadSize, 48))
        guard let head = try scanner.reader.bytes(at: stsd.payloadOffset, count: wanted),
              let width = head.uint16(at: 40), let height = head.uint16(at: 42) else { return }
        track.sampleEntryWidth = Int(width)
        track.sampleEntryHeight = Int(height)
    }

    private static func parseMovieExtends(_ mvex: ISOBoxHeader, scanner: ISOBoxScanner,
                                          into movie: inout MovieSummary) throws {
        for box in try scanner.children(of: mvex) {
            switch box.type {
            case "mehd":
                let payload = try scanner.payload(of: box)
                let duration = payload.uint8(at: 0) == 1 ? payload.uint64(at: 4) : payload.uint32(at: 4).map(UInt64.init)
                guard let duration else { throw malformed(box) }
                movie.fragmentDuration = duration
            case "trex":
                let payload = try scanner.payload(of: box)
                guard let trackID = payload.uint32(at: 4), let sampleDuration = payload.uint32(at: 12) else {
                    throw malformed(box)
                }
                movie.defaultSampleDurations[trackID] = sampleDuration
            default:
                continue
            }
        }
    }

    private static func malformed(_ box: ISOBoxHeader) -> VideoProbeError {
        .malformedBox(boxType: box.type, offset: box.offset)
    }
}
