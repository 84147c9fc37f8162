/// Decodes the 16-bit `mdhd` language field.
enum MediaLanguageCode {
    /// ISO 639-2 codes packed as three 5-bit letters (offset 0x60); values below 0x400 are QuickTime
    /// Macintosh language numbers and 0x7FFF is QuickTime's "unspecified".
    static func decode(_ packed: UInt16) -> String {
        if packed == 0x7FFF { return "und" }
        if packed < 0x400 { return macintoshLanguages[packed] ?? "und" }
        let letters = [(packed >> 10) & 0x1F, (packed >> 5) & 0x1F, packed & 0x1F].map { $0 + 0x60 }
        guard letters.allSatisfy({ (0x61...0x7A).contains($0) }) else { return "und" }
        return String(letters.map { Character(Unicode.Scalar(UInt8($0))) })
    }

    /// Macintosh language numbers as ISO 639-2/T (Inside Macintosh, `langEnglish` = 0 …).
    /// Only the common ones; anything else reads as "und".
    private static let macintoshLanguages: [UInt16: String] = [
        0: "eng", 1: "fra", 2: "deu", 3: "ita", 4: "nld", 5: "swe", 6: "spa", 7: "dan", 8: "por",
        9: "nor", 10: "heb", 11: "jpn", 12: "ara", 13: "fin", 14: "ell", 15: "isl", 16: "mlt",
        17: "tur", 18: "hrv", 19: "zho", 20: "urd", 21: "hin", 22: "tha", 23: "kor", 24: "lit",
        25: "pol", 26: "hun", 27: "est", 28: "lav", 32: "rus", 33: "zho",
    ]
}
