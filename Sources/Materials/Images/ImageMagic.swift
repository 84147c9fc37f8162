/// Tells an image format from the first bytes of a file.
enum ImageMagic {
    /// HEIF brands we accept (HEVC still images and image sequences, plus the generic MIAF/HEIF
    /// structural brands `mif1`/`msf1`).
    static let heifBrands: Set<String> = ["heic", "heix", "hevc", "heim", "heis", "mif1", "msf1"]
    /// AVIF uses the same HEIF container with AV1 pictures; the campaign does not accept it.
    static let avifBrands: Set<String> = ["avif", "avis"]
    /// BITMAPCOREHEADER, OS/2 v2 (16/64), BITMAPINFOHEADER and its V2–V5 successors.
    static let bmpInfoHeaderSizes: Set<UInt32> = [12, 16, 40, 52, 56, 64, 108, 124]

    static func format(of header: BinaryView) -> ImageFormat? {
        if header.matches([0xFF, 0xD8, 0xFF], at: 0) { return .jpeg }
        if header.matches([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], at: 0) { return .png }
        // Classic TIFF only; BigTIFF ("II+\0") is not accepted.
        if header.matches([0x49, 0x49, 0x2A, 0x00], at: 0) || header.matches([0x4D, 0x4D, 0x00, 0x2A], at: 0) {
            return .tiff
        }
        if header.matches([0x42, 0x4D], at: 0), let infoSize = header.uint32(at: 14, bigEndian: false),
           bmpInfoHeaderSizes.contains(infoSize) {
            return .bmp
        }
        if isHEIF(header) { return .heif }
        return nil
    }

    /// An `ftyp` box whose major brand is a HEIF brand, or whose compatible brands include an HEVC
    /// image brand; AVIF (major `avif`, or generic `mif1` listing AV1 but no HEVC brand) is refused.
    private static func isHEIF(_ header: BinaryView) -> Bool {
        guard header.fourCC(at: 4) == "ftyp", let boxSize = header.uint32(at: 0), boxSize >= 16 else { return false }
        let available = min(Int(boxSize), header.count) - 8
        guard let payload = header.slice(at: 8, length: max(available, 0)),
              let brands = FileTypeBox.parse(payload: payload) else { return false }
        let all = Set([brands.major] + brands.compatible)
        let hevcBrands = heifBrands.subtracting(["mif1", "msf1"])
        if avifBrands.contains(brands.major) { return false }
        if heifBrands.contains(brands.major) {
            // A generic-major (`mif1`) file that names AV1 and no HEVC brand is AVIF in disguise.
            let namesAV1 = !all.isDisjoint(with: avifBrands)
            let namesHEVC = !all.isDisjoint(with: hevcBrands)
            return namesHEVC || !namesAV1
        }
        return !all.isDisjoint(with: hevcBrands)
    }
}
