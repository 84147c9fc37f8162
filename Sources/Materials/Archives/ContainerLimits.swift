// Caps for reading ZIP-based documents (docx and other OOXML) so a crafted file cannot make us
// inflate gigabytes or walk millions of entries.
//
// Why these defaults:
// - maxEntries 10,000: a real docx has 10–200 parts; one with hundreds of images stays far below.
// - maxEntryUncompressed 128 MiB: document.xml of a 1,000-page thesis is tens of MiB; the whole
//   part is held in memory while XML-parsed, so this also bounds our memory.
// - maxTotalUncompressed 512 MiB over all entries' declared sizes (media included): generous for
//   a scanned-image-heavy docx, still a hard stop for a bomb that spreads itself over many entries.
// - maxRatio 200:1, checked only for entries above ratioFloor (1 MiB): real Word XML deflates
//   10–50:1 and rarely past 100:1, while runs of zeros or spaces deflate ~1,000:1. Small parts may
//   have any ratio; they are harmless.
public struct ContainerLimits: Sendable, Equatable {
    public var maxEntries: Int
    public var maxTotalUncompressed: UInt64
    public var maxRatio: UInt64
    public var maxEntryUncompressed: UInt64
    /// Entries whose uncompressed size is at most this are exempt from the ratio check.
    public var ratioFloor: UInt64

    public init(maxEntries: Int, maxTotalUncompressed: UInt64, maxRatio: UInt64,
                maxEntryUncompressed: UInt64, ratioFloor: UInt64 = 1 << 20) {
        self.maxEntries = maxEntries
        self.maxTotalUncompressed = maxTotalUncompressed
        self.maxRatio = maxRatio
        self.maxEntryUncompressed = maxEntryUncompressed
        self.ratioFloor = ratioFloor
    }

    public static let `default` = ContainerLimits(
        maxEntries: 10_000,
        maxTotalUncompressed: 512 << 20,
        maxRatio: 200,
        maxEntryUncompressed: 128 << 20)
}

public enum ContainerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The archive lists more entries than `maxEntries`.
    case tooManyEntries
    /// An entry, or all entries together, exceed the size caps.
    case tooLarge
    /// An entry's declared uncompressed size is out of proportion to its compressed size.
    case suspiciousRatio(entry: String)
    /// An entry inflated to more bytes than its header declared (a lying header).
    case sizeMismatch(entry: String)
    /// An entry inflated to bytes whose CRC-32 is not the one its header records (a damaged file).
    case checksumMismatch(entry: String)
    /// A password-protected Office file (an OLE container holding `EncryptedPackage`).
    case encrypted
    /// Not a ZIP archive at all (perhaps a legacy .doc renamed to .docx).
    case notAZip
    /// A part the format requires is missing (e.g. `word/document.xml`).
    case missingPart(String)
    /// A part is not well-formed XML, or could not be inflated.
    case malformedPart(String)

    public var description: String {
        switch self {
        case .tooManyEntries: return "The archive has too many entries."
        case .tooLarge: return "The archive's content is too large."
        case .suspiciousRatio(let entry): return "Entry \(entry) has a suspicious compression ratio (zip bomb)."
        case .sizeMismatch(let entry): return "Entry \(entry) inflates past its declared size."
        case .checksumMismatch(let entry): return "Entry \(entry) fails its CRC-32 check (the file is damaged)."
        case .encrypted: return "The document is password-protected."
        case .notAZip: return "The file is not a ZIP-based Office document."
        case .missingPart(let part): return "The document has no \(part) part."
        case .malformedPart(let part): return "The document part \(part) is damaged."
        }
    }
}
