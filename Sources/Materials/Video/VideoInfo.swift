/// Facts about an ISO-BMFF video, read from its boxes. The caller applies the campaign's thresholds
/// (mp4 brand, 300–900 s, at least 1920×1080); this type only reports.
public struct VideoInfo: Sendable, Equatable, Codable {
    /// `ftyp` major brand, e.g. "isom", "mp42", "qt  " (four characters, spaces kept).
    public var majorBrand: String
    public var compatibleBrands: [String]
    /// The major brand is QuickTime's `qt  ` (a .mov file), whatever the compatible brands say.
    public var isQuickTime: Bool
    /// An MP4-family file: not QuickTime-major, and the major or a compatible brand is in
    /// `VideoInfo.mp4Brands`.
    public var isMP4: Bool
    /// `mvhd` duration / timescale; for fragmented files whose `mvhd` says 0, the `mehd` fragment
    /// duration, else the longest track's summed `trun` sample durations; 0 when unknown.
    public var durationSeconds: Double
    /// Display size of the first video track: `tkhd` width/height, swapped for a 90°/270° rotation.
    /// 0 when the file has no video track.
    public var width: Int
    public var height: Int
    /// Clockwise rotation a player applies to the first video track, from the `tkhd` matrix: 0, 90, 180
    /// or 270. (ffprobe's side-data "rotation" is counter-clockwise: this is `(360 - that) % 360`.)
    public var rotationDegrees: Int
    /// Each track's `mdhd` language as stored, in track order ("und" kept). ISO 639-2 packed codes are
    /// reported as written, so Chinese may be "chi" (bibliographic) or "zho" (terminology); QuickTime
    /// Macintosh language numbers are mapped to 639-2/T codes ("zho" for 19 and 33).
    public var languages: [String]
    /// Each track's `hdlr` handler type, in track order, e.g. "vide", "soun".
    public var handlerTypes: [String]
    /// The file has `mvex` in `moov` or any top-level `moof`.
    public var isFragmented: Bool
    /// The first `mdat` comes before `moov` (not "fast start").
    public var moovAfterMdat: Bool

    public init(majorBrand: String, compatibleBrands: [String], isQuickTime: Bool, isMP4: Bool,
                durationSeconds: Double, width: Int, height: Int, rotationDegrees: Int,
                languages: [String], handlerTypes: [String], isFragmented: Bool, moovAfterMdat: Bool) {
        self.majorBrand = majorBrand
        self.compatibleBrands = compatibleBrands
        self.isQuickTime = isQuickTime
        self.isMP4 = isMP4
        self.durationSeconds = durationSeconds
        self.width = width
        self.height = height
        self.rotationDegrees = rotationDegrees
        self.languages = languages
        self.handlerTypes = handlerTypes
        self.isFragmented = isFragmented
        self.moovAfterMdat = moovAfterMdat
    }

    /// Brands that make a file MP4 for the campaign: the ISO base media family (`isom`, `iso2`…`iso9`),
    /// MP4 v1/v2 (`mp41`, `mp42`), `avc1`, DASH (`dash`) and iTunes video (`M4V `). `mp4v` is not an
    /// `ftyp` brand (it is a sample-entry code) and 3GPP/audio brands (`3gp4`, `M4A `) are not listed,
    /// though a 3GPP file that also lists `isom` counts.
    public static let mp4Brands: Set<String> = [
        "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9",
        "mp41", "mp42", "avc1", "dash", "M4V ",
    ]

    /// QuickTime's major brand.
    public static let quickTimeBrand = "qt  "
}
