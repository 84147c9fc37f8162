/// Length of a fragmented movie whose `mvhd` and `mehd` give none: the sample durations of every
/// `moof/traf/trun`, summed per track. Only fragment headers are read; `mdat`s are skipped.
enum FragmentDurations {
    /// The longest track's summed sample durations, in seconds.
    /// `tfdt` is ignored on purpose: a cut live stream may start at any decode time, and what counts
    /// is how much media the file holds.
    static func longestTrackSeconds(moofs: [ISOBoxHeader], movie: MovieSummary,
                                    scanner: ISOBoxScanner) throws -> Double {
        var totals: [UInt32: UInt64] = [:]
        for moof in moofs {
            for traf in try scanner.children(of: moof).all(ofType: "traf") {
                let (trackID, ticks) = try trackFragmentTicks(traf, movie: movie, scanner: scanner)
                totals[trackID, default: 0] &+= ticks
            }
        }
        var longest = 0.0
        for track in movie.tracks where track.timescale > 0 {
            if let ticks = totals[track.trackID] {
                longest = max(longest, Double(ticks) / Double(track.timescale))
            }
        }
        return longest
    }

    private static func trackFragmentTicks(_ traf: ISOBoxHeader, movie: MovieSummary,
                                           scanner: ISOBoxScanner) throws -> (UInt32, UInt64) {
        let children = try scanner.children(of: traf)
        guard let tfhd = children.first(ofType: "tfhd") else { throw malformed(traf) }
        let header = try scanner.payload(of: tfhd)
        guard let flags = header.uint32(at: 0).map({ $0 & 0xFF_FFFF }), let trackID = header.uint32(at: 4) else {
            throw malformed(tfhd)
        }
        var defaultDuration = movie.defaultSampleDurations[trackID] ?? 0
        if flags & 0x08 != 0 {
            // Optional fields before default-sample-duration: base-data-offset (8), description index (4).
            let offset = 8 + (flags & 0x01 != 0 ? 8 : 0) + (flags & 0x02 != 0 ? 4 : 0)
            guard let value = header.uint32(at: offset) else { throw malformed(tfhd) }
            defaultDuration = value
        }
        var ticks: UInt64 = 0
        for trun in children.all(ofType: "trun") {
            ticks &+= try runTicks(trun, defaultDuration: defaultDuration, scanner: scanner)
        }
        return (trackID, ticks)
    }

    /// Sum of one `trun`'s sample durations, reading its sample table in bounded chunks.
    private static func runTicks(_ trun: ISOBoxHeader, defaultDuration: UInt32,
                                 scanner: ISOBoxScanner) throws -> UInt64 {
        guard let head = try scanner.reader.bytes(at: trun.payloadOffset, count: Int(min(trun.payloadSize, 8))),
              let flags = head.uint32(at: 0).map({ $0 & 0xFF_FFFF }), let sampleCount = head.uint32(at: 4) else {
            throw malformed(trun)
        }
        guard flags & 0x100 != 0 else { return UInt64(sampleCount) * UInt64(defaultDuration) }
        // Per-sample fields present: duration, size, flags, composition offset — 4 bytes each.
        let entrySize = UInt64(4 * (flags & 0xF00).nonzeroBitCount)
        let tableOffset = UInt64(8 + (flags & 0x01 != 0 ? 4 : 0) + (flags & 0x04 != 0 ? 4 : 0))
        guard tableOffset + UInt64(sampleCount) * entrySize <= trun.payloadSize else { throw malformed(trun) }
        let entriesPerChunk = max(1, (1 << 16) / Int(entrySize))
        var ticks: UInt64 = 0
        var index = 0
        while index < Int(sampleCount) {
            let count = min(entriesPerChunk, Int(sampleCount) - index)
            let chunkOffset = trun.payloadOffset + tableOffset + UInt64(index) * entrySize
            guard let chunk = try scanner.reader.bytes(at: chunkOffset, count: count * Int(entrySize)) else {
                throw malformed(trun)
            }
            for entry in 0..<count {
                // Duration is the first field of each entry when present.
                ticks &+= UInt64(chunk.uint32(at: entry * Int(entrySize)) ?? 0)
            }
            index += count
        }
        return ticks
    }

    private static func malformed(_ box: ISOBoxHeader) -> VideoProbeError {
        .malformedBox(boxType: box.type, offset: box.offset)
    }
}
