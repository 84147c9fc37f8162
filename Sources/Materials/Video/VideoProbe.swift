import Foundation

/// Reads video facts from an ISO-BMFF (MP4/QuickTime) file by seeking over its boxes: only box
/// headers and the small boxes inside `moov` (and `moof`, for fragmented files) are read, never `mdat`.
/// The file name is never consulted.
public enum VideoProbe {
    public static func probe(fileAt url: URL) throws(VideoProbeError) -> VideoInfo {
        let reader: FileByteReader
        do {
            reader = try FileByteReader(url: url)
        } catch {
            throw .unreadable(reason: error.localizedDescription)
        }
        return try probe(reader: reader)
    }

    /// Probe through a given reader, so tests can see how many bytes were read.
    static func probe(reader: FileByteReader) throws(VideoProbeError) -> VideoInfo {
        do {
            return try readInfo(reader: reader)
        } catch let error as VideoProbeError {
            throw error
        } catch let error as ISOBoxError {
            throw VideoProbeError(error)
        } catch {
            throw .unreadable(reason: error.localizedDescription)
        }
    }

    private static func readInfo(reader: FileByteReader) throws -> VideoInfo {
        guard let head = try reader.bytes(at: 0, count: 8), head.fourCC(at: 4) == "ftyp" else {
            throw VideoProbeError.notISOBMFF
        }
        let scanner = ISOBoxScanner(reader: reader)
        let topLevel = try scanner.topLevelBoxes()
        guard let ftyp = topLevel.first else { throw VideoProbeError.notISOBMFF }
        let brands = try FileTypeBox.read(ftyp, scanner: scanner)
        guard let moov = topLevel.first(ofType: "moov") else { throw VideoProbeError.missingMovieBox }
        let movie = try MovieBoxParser.parse(moov, scanner: scanner)
        let moofs = topLevel.all(ofType: "moof")

        let video = movie.tracks.first { $0.isVideo }
        let rotation = video?.clockwiseRotation ?? 0
        var width = video.map { $0.headerWidth > 0 ? $0.headerWidth : $0.sampleEntryWidth } ?? 0
        var height = video.map { $0.headerHeight > 0 ? $0.headerHeight : $0.sampleEntryHeight } ?? 0
        if rotation == 90 || rotation == 270 { swap(&width, &height) }

        let isQuickTime = brands.major == VideoInfo.quickTimeBrand
        let isMP4 = !isQuickTime && ([brands.major] + brands.compatible).contains { VideoInfo.mp4Brands.contains($0) }
        let moovAfterMdat = topLevel.first(ofType: "mdat").map { $0.offset < moov.offset } ?? false

        return VideoInfo(
            majorBrand: brands.major,
            compatibleBrands: brands.compatible,
            isQuickTime: isQuickTime,
            isMP4: isMP4,
            durationSeconds: try durationSeconds(movie: movie, moofs: moofs, scanner: scanner),
            width: width,
            height: height,
            rotationDegrees: rotation,
            languages: movie.tracks.map(\.language),
            handlerTypes: movie.tracks.map(\.handlerType),
            isFragmented: movie.hasMovieExtends || !moofs.isEmpty,
            moovAfterMdat: moovAfterMdat
        )
    }

    private static func durationSeconds(movie: MovieSummary, moofs: [ISOBoxHeader],
                                        scanner: ISOBoxScanner) throws -> Double {
        guard movie.timescale > 0 else { return 0 }
        if movie.duration > 0 { return Double(movie.duration) / Double(movie.timescale) }
        if movie.fragmentDuration > 0 { return Double(movie.fragmentDuration) / Double(movie.timescale) }
        if moofs.isEmpty { return 0 }
        return try FragmentDurations.longestTrackSeconds(moofs: moofs, movie: movie, scanner: scanner)
    }
}
