import Foundation

/// Canonical form of essay text and names for duplicate detection.
///
/// Steps, in order:
/// 1. Unicode NFKC (compatibility composition): full-width Latin letters, digits and
///    punctuation fold to their half-width forms (`ＡＢＣ１２３，` → `ABC123,`), CJK
///    compatibility ideographs fold to their unified forms, ligatures and circled digits unfold.
/// 2. Lowercasing (Latin, Greek, Cyrillic, …; Han characters are unaffected).
/// 3. Traditional → simplified Chinese folding, character by character, with a built-in table
///    (`TraditionalToSimplifiedTable.swift`, 3,074 pairs generated from ICU's `Hant-Hans`
///    transform over U+3400–U+4DBF and U+4E00–U+9FFF) plus nine extra folds that make the
///    result consistent (see ``ambiguityFolds``).
///
///    Foundation's `applyingTransform(StringTransform("Hant-Hans"), reverse: false)` does work
///    on Linux (ICU is bundled), but it is *context-sensitive*, which is right for display and
///    wrong for comparison: it turns simplified `显著提升` into `显着提升` yet keeps `著` in
///    traditional `顯著提升`, so an essay and its traditional resend would normalize
///    differently. It is also ~3 ms per 3,000-字 essay (release) and may vary with the ICU
///    version of the platform, whereas stored fingerprints must not. The table is
///    deterministic, platform-independent and ~50× faster; the tests verify that every table
///    entry agrees with ICU character by character, and that for every CJK character
///    `fold(Hans-Hant(c)) == fold(c)`. Folding ambiguous characters (著→着, 乾→干, 沈→沉, …)
///    can make the normalized text read oddly; it is only ever compared, never shown.
/// 4. Every Unicode scalar that is not a letter (general category L*) or a number (N*) is
///    removed: all whitespace, line breaks, CJK and ASCII punctuation, symbols, combining marks
///    and control characters. A PDF's reflowed lines and a colleague's different punctuation
///    therefore vanish completely.
///
/// The result is deterministic for a given input and independent of locale.
public enum TextNormalizer {
    /// Normalized essay text: NFKC, lowercase, simplified Chinese, letters and digits only.
    public static func normalized(_ text: String) -> String {
        plainNormalized(text) ?? fullyNormalized(text)
    }

    /// The general path: Foundation's NFKC, then lowercasing, folding and filtering.
    static func fullyNormalized(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        let table = foldTable
        var result = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars where isLetterOrDigit(scalar) {
            result.append(table[scalar] ?? scalar)
        }
        return String(result)
    }

    /// The same result as ``fullyNormalized(_:)`` in one pass over the UTF-8 bytes, for the
    /// text essays are made of: ASCII, the CJK ideographs, full-width ASCII and the common
    /// Chinese punctuation. None of these compose with a neighbour under NFKC, so each maps on
    /// its own (a test checks every one against the general path). Nil when the text holds
    /// anything else: the general path takes it. NFKC through Foundation costs most of a
    /// duplicate check otherwise.
    static func plainNormalized(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                let lead = bytes[index]
                if lead < 0x80 {
                    appendAlphanumeric(lead, to: &output)
                    index += 1
                    continue
                }
                guard lead >= 0xC0 else { return nil }
                let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                guard index + length <= bytes.count else { return nil }
                var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
                index += length
                switch value {
                case 0x3400...0x9FFF:
                    let folded = ideographFolds[Int(value - 0x3400)]
                    guard folded != 0 else { return nil }  // e.g. U+4DC0–4DFF, the Yijing hexagrams
                    appendThreeByteUTF8(folded, to: &output)
                case 0x3005...0x3007:
                    appendThreeByteUTF8(value, to: &output)  // 々 〆 〇: letters, kept as they are
                case 0xFF01...0xFF5E:
                    appendAlphanumeric(UInt8(value - 0xFF01 + 0x21), to: &output)
                case 0x00A0, 0x00B7, 0x2010...0x2027, 0x2030...0x205E, 0x3000...0x3003, 0x3008...0x301F:
                    continue  // white space and punctuation: removed, as the general path removes them
                default:
                    return nil
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// For U+3400–U+9FFF, the folded ideograph (0 for the few that are not ideographs or fold
    /// outside the BMP): an array, since a dictionary lookup per character costs more than the
    /// rest of the pass.
    static let ideographFolds: [UInt32] = (0x3400...0x9FFF).map { value -> UInt32 in
        let scalar = Unicode.Scalar(UInt32(value))!
        guard scalar.properties.generalCategory == .otherLetter else { return 0 }
        let folded = foldTable[scalar] ?? scalar
        return folded.value <= 0xFFFF ? folded.value : 0  // a few fold outside the BMP: the general path
    }

    @inline(__always)
    private static func appendThreeByteUTF8(_ value: UInt32, to output: inout [UInt8]) {
        output.append(UInt8(0xE0 | (value >> 12)))
        output.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
        output.append(UInt8(0x80 | (value & 0x3F)))
    }

    /// An ASCII letter (lowercased) or digit; anything else ASCII is dropped.
    @inline(__always)
    private static func appendAlphanumeric(_ byte: UInt8, to output: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): output.append(byte)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): output.append(byte + 32)
        default: break
        }
    }

    /// Normalized form of a nominee, unit or title: the same transformation as
    /// ``normalized(_:)`` (letters and digits only), so `"物理研究所 "`, `"物理研究所。"`
    /// and `"物理研究所"` compare equal, as do `"韓思遠"` and `"韩思远"`.
    public static func normalizedName(_ name: String) -> String {
        normalized(name)
    }

    /// Traditional → simplified folding only (no other normalization), as used by
    /// ``normalized(_:)``: character by character with the built-in table and
    /// ``ambiguityFolds``. For comparison, not for display.
    public static func foldToSimplified(_ text: String) -> String {
        let table = foldTable
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            result.append(table[scalar] ?? scalar)
        }
        return String(result)
    }

    /// Folds applied after the ICU-derived table so that `fold(Hans-Hant(c)) == fold(c)` for
    /// every character: ICU's Hans→Hant turns e.g. 沉 into 沈 and 馀 into 餘, while its Hant→Hans
    /// keeps 沈 (a surname) and maps 餘 to 余. Found by checking all 27,584 code points.
    static let ambiguityFolds: [Unicode.Scalar: Unicode.Scalar] = [
        "䌽": "彩", "䩄": "腼", "沈": "沉", "渖": "沉", "缐": "线", "苧": "苎", "讬": "托", "锺": "钟", "馀": "余",
    ]

    /// Whether a scalar survives normalization: general category letter or number.
    static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// The ICU-derived pairs, exactly as generated (for tests).
    static let icuTable: [Unicode.Scalar: Unicode.Scalar] = {
        let traditional = traditionalCharacters.unicodeScalars.filter { $0 != "\n" }
        let simplified = simplifiedCharacters.unicodeScalars.filter { $0 != "\n" }
        precondition(traditional.count == simplified.count, "traditional/simplified table misaligned")
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        table.reserveCapacity(traditional.count)
        for (t, s) in zip(traditional, simplified) { table[t] = s }
        return table
    }()

    /// The complete fold: ICU-derived table, then ``ambiguityFolds`` on its output.
    static let foldTable: [Unicode.Scalar: Unicode.Scalar] = {
        var table = icuTable
        for (key, value) in table {
            if let refolded = ambiguityFolds[value] { table[key] = refolded }
        }
        for (key, value) in ambiguityFolds {
            table[key] = value
        }
        return table
    }()
}
