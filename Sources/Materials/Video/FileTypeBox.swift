/// The brands of an `ftyp` box, shared by the video probe and HEIF detection.
struct FileTypeBox: Sendable, Equatable {
    /// A sane upper bound; real files list a handful.
    static let maxBrands = 64

    var major: String
    var compatible: [String]

    /// Parses an `ftyp` payload: major brand, minor version, then compatible brands. A short view
    /// (a file header cut at 32 bytes, say) yields the brands it holds.
    static func parse(payload: BinaryView) -> FileTypeBox? {
        guard let major = payload.fourCC(at: 0), payload.count >= 8 else { return nil }
        let brandCount = min((payload.count - 8) / 4, maxBrands)
        let compatible = (0..<brandCount).compactMap { payload.fourCC(at: 8 + $0 * 4) }
        return FileTypeBox(major: major, compatible: compatible)
    }

    static func read(_ ftyp: ISOBoxHeader, scanner: ISOBoxScanner) throws -> FileTypeBox {
        let wanted = Int(min(ftyp.payloadSize, UInt64(8 + maxBrands * 4)))
        guard let payload = try scanner.reader.bytes(at: ftyp.payloadOffset, count: wanted),
              let brands = parse(payload: payload) else {
            throw VideoProbeError.malformedBox(boxType: ftyp.type, offset: ftyp.offset)
        }
        return brands
    }
}
