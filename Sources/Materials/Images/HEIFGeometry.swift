/// Size and rotation of a HEIF image from `meta`: the primary item (`pitm`) is followed through the
/// item property associations (`iprp/ipma`) to its `ispe` (stored size) and `irot` (rotation).
/// When that chain is missing, the largest `ispe` in `ipco` is used without rotation.
/// Mirroring (`imir`) and clean-aperture crops (`clap`) are not applied.
enum HEIFGeometry {
    private struct Properties {
        /// Property boxes of `ipco` in order; `ipma` indexes them from 1.
        var sizes: [Int: (width: Int, height: Int)] = [:]
        var counterClockwiseQuarterTurns: [Int: Int] = [:]
    }

    static func read(_ reader: FileByteReader) throws -> StoredGeometry {
        do {
            return try readMeta(ISOBoxScanner(reader: reader, boxBudget: 10_000))
        } catch let error as ISOBoxError {
            switch error {
            case .truncated: throw ImageProbeError.truncated(.heif)
            case .invalidSize, .tooManyBoxes: throw ImageProbeError.malformed(.heif, detail: "bad box structure")
            }
        }
    }

    private static func readMeta(_ scanner: ISOBoxScanner) throws -> StoredGeometry {
        guard let meta = try scanner.topLevelBoxes().first(ofType: "meta") else {
            throw ImageProbeError.malformed(.heif, detail: "no meta box")
        }
        let metaChildren = try scanner.childrenOfFullBox(meta)
        guard let iprp = metaChildren.first(ofType: "iprp") else {
            throw ImageProbeError.malformed(.heif, detail: "no item properties")
        }
        let iprpChildren = try scanner.children(of: iprp)
        guard let ipco = iprpChildren.first(ofType: "ipco") else {
            throw ImageProbeError.malformed(.heif, detail: "no item properties")
        }
        let properties = try readProperties(ipco, scanner: scanner)
        if let primary = try primaryItemID(metaChildren, scanner: scanner),
           let indices = try associations(of: primary, in: iprpChildren.all(ofType: "ipma"), scanner: scanner),
           let size = indices.lazy.compactMap({ properties.sizes[$0] }).first {
            let turns = indices.lazy.compactMap { properties.counterClockwiseQuarterTurns[$0] }.first ?? 0
            return StoredGeometry(width: size.width, height: size.height, orientation: exifOrientation(turns))
        }
        // ispe sides are 32-bit: their product needs 64 unsigned bits (fuzzing: 0xFFFFFFFF² trapped).
        let area = { (size: (width: Int, height: Int)) in UInt64(size.width) * UInt64(size.height) }
        guard let largest = properties.sizes.values.max(by: { area($0) < area($1) }) else {
            throw ImageProbeError.malformed(.heif, detail: "no image spatial extents (ispe)")
        }
        return StoredGeometry(width: largest.width, height: largest.height)
    }

    private static func readProperties(_ ipco: ISOBoxHeader, scanner: ISOBoxScanner) throws -> Properties {
        var properties = Properties()
        for (position, box) in try scanner.children(of: ipco).enumerated() {
            let index = position + 1
            switch box.type {
            case "ispe":
                // Full box: version/flags, then 32-bit width and height.
                let payload = try scanner.payload(of: box)
                if let width = payload.uint32(at: 4), let height = payload.uint32(at: 8), width > 0, height > 0 {
                    properties.sizes[index] = (Int(width), Int(height))
                }
            case "irot":
                // Not a full box: one byte, low two bits = counter-clockwise quarter turns.
                if let angle = try scanner.payload(of: box).uint8(at: 0) {
                    properties.counterClockwiseQuarterTurns[index] = Int(angle & 0x03)
                }
            default:
                continue
            }
        }
        return properties
    }

    private static func primaryItemID(_ metaChildren: [ISOBoxHeader], scanner: ISOBoxScanner) throws -> UInt32? {
        guard let pitm = metaChildren.first(ofType: "pitm") else { return nil }
        let payload = try scanner.payload(of: pitm)
        return payload.uint8(at: 0) == 0 ? payload.uint16(at: 4).map(UInt32.init) : payload.uint32(at: 4)
    }

    /// The property indices associated with `itemID`, in `ipma` order; nil when the item has none.
    private static func associations(of itemID: UInt32, in ipmas: [ISOBoxHeader],
                                     scanner: ISOBoxScanner) throws -> [Int]? {
        for ipma in ipmas {
            let payload = try scanner.payload(of: ipma, limit: 1 << 20)
            guard let version = payload.uint8(at: 0), let flags = payload.uint32(at: 0).map({ $0 & 0xFF_FFFF }),
                  let entryCount = payload.uint32(at: 4) else { continue }
            let wideIndex = flags & 1 != 0
            var cursor = 8
            for _ in 0..<entryCount {
                let id: UInt32?
                if version < 1 {
                    id = payload.uint16(at: cursor).map(UInt32.init)
                    cursor += 2
                } else {
                    id = payload.uint32(at: cursor)
                    cursor += 4
                }
                guard let id, let count = payload.uint8(at: cursor) else { break }
                cursor += 1
                var indices: [Int] = []
                for _ in 0..<count {
                    // Top bit is "essential"; the rest is the 1-based property index.
                    if wideIndex {
                        guard let value = payload.uint16(at: cursor) else { break }
                        indices.append(Int(value & 0x7FFF))
                        cursor += 2
                    } else {
                        guard let value = payload.uint8(at: cursor) else { break }
                        indices.append(Int(value & 0x7F))
                        cursor += 1
                    }
                }
                if id == itemID { return indices }
                if cursor > payload.count { break }
            }
        }
        return nil
    }

    /// `irot` turns the picture counter-clockwise; EXIF 8 = turn 90° CCW to view, 3 = 180°, 6 = 90° CW.
    private static func exifOrientation(_ counterClockwiseQuarterTurns: Int) -> Int {
        switch counterClockwiseQuarterTurns {
        case 1: 8
        case 2: 3
        case 3: 6
        default: 1
        }
    }
}
