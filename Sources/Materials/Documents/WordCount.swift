// 字数 as Microsoft Word (and WPS) show it in the word-count dialog, which is the number units
// read off their screen and compare with our limit.
//
// Word's 字数 = "中文字符和朝鲜语单词" + "非中文单词". We follow the same model:
// - Every East Asian character counts 1: Han ideographs (URO, extensions A–H, compatibility
//   ideographs, radicals), kana, bopomofo, the CJK Symbols & Punctuation block (。、「」【】《》…),
//   the Halfwidth/Fullwidth Forms block (，；：？！（）and also full-width letters/digits ＡＢ１２:
//   Word treats them as East Asian characters, so "ＡＢ" is 2 while "AB" is 1), CJK
//   compatibility/vertical/small forms, and the punctuation a Chinese text uses from General
//   Punctuation and Latin-1: “ ” ‘ ’ — … · ‖ ※ (each mark counts 1, so "——" is 2, "……" is 2).
// - Everything else that is not whitespace forms "words": a maximal run of non-space,
//   non-East-Asian characters counts 1. So ASCII punctuation sticks to the word it touches
//   ("Hello," is 1, "COVID-19", "3.5", "e.g.", "don't", "(2023)" are 1 each) and a run of ASCII
//   punctuation standing alone (" - ", " & ", or "(" between two Han characters) counts 1 — as in
//   Word, whose non-Asian words are whatever lies between spaces (LibreOffice documents the same
//   rule: `"$"` is a word).
// - Hangul counts per word (a run of Hangul syllables is 1), as Word's label "朝鲜语单词" says.
// - Whitespace (including U+3000 ideographic space and no-break space) counts 0; zero-width and
//   format characters (ZWSP, ZWJ, BOM, variation selectors) count 0 and do not split words.
public enum WordCount {
    public static func count(_ text: String) -> Int {
        var total = 0
        var currentWord: CharacterClass?  // .wordPart or .hangul while inside a word
        for scalar in text.unicodeScalars {
            let kind = CharacterClass(scalar)
            switch kind {
            case .eastAsian:
                total += 1
                currentWord = nil
            case .whitespace:
                currentWord = nil
            case .ignorable:
                continue
            case .hangul, .wordPart:
                // A Hangul run is its own word even when glued to Latin letters.
                if currentWord != kind { total += 1 }
                currentWord = kind
            }
        }
        return total
    }
}

extension WordCount {
    /// The role a Unicode scalar plays in counting; internal so readers can join lines sensibly.
    enum CharacterClass: Equatable {
        case eastAsian, hangul, wordPart, whitespace, ignorable

        init(_ scalar: Unicode.Scalar) {
            self = Self.common(scalar.value) ?? Self(general: scalar)
        }

        /// ASCII and the CJK ideographs, which are nearly all of an essay, without the Unicode
        /// property lookups (they cost most of counting a long text). Agrees with `general`
        /// for every scalar it answers (tested over the whole BMP).
        @inline(__always)
        static func common(_ v: UInt32) -> CharacterClass? {
            switch v {
            case 0x09...0x0D, 0x20: .whitespace
            case 0x00...0x1F, 0x7F: .ignorable
            case 0x21...0x7E: .wordPart
            case 0x3400...0x4DBF, 0x4E00...0x9FFF: .eastAsian
            default: nil
            }
        }

        init(general scalar: Unicode.Scalar) {
            let v = scalar.value
            if Self.isIgnorable(v) { self = .ignorable; return }
            if scalar.properties.isWhitespace || v == 0x3000 { self = .whitespace; return }
            if (0xAC00...0xD7AF).contains(v) || (0x1100...0x11FF).contains(v) || (0x3130...0x318F).contains(v)
                || (0xA960...0xA97F).contains(v) || (0xD7B0...0xD7FF).contains(v) {
                self = .hangul; return
            }
            if Self.isEastAsian(v) { self = .eastAsian; return }
            if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
                self = .ignorable; return
            }
            self = .wordPart
        }

        private static func isIgnorable(_ v: UInt32) -> Bool {
            switch v {
            case 0x200B...0x200D, 0x2060, 0xFEFF, 0xFE00...0xFE0F, 0xE0100...0xE01EF, 0x00AD: return true
            default: return false
            }
        }

        private static let eastAsianRanges: [ClosedRange<UInt32>] = [
            0x2E80...0x2FDF,   // CJK radicals supplement, Kangxi radicals
            0x2FF0...0x2FFF,   // ideographic description characters
            0x3001...0x303F,   // CJK symbols and punctuation (0x3000 is the ideographic space)
            0x3040...0x30FF,   // hiragana, katakana
            0x3100...0x312F,   // bopomofo
            0x31A0...0x31FF,   // bopomofo extended, CJK strokes, katakana phonetic extensions
            0x3200...0x33FF,   // enclosed CJK letters, CJK compatibility
            0x3400...0x4DBF,   // extension A
            0x4E00...0x9FFF,   // unified ideographs
            0xF900...0xFAFF,   // compatibility ideographs
            0xFE10...0xFE1F,   // vertical forms
            0xFE30...0xFE4F,   // CJK compatibility forms
            0xFE50...0xFE6F,   // small form variants
            0xFF01...0xFFEF,   // halfwidth and fullwidth forms
            0x1B000...0x1B16F, // kana supplement / extended
            0x20000...0x2FA1F, // extensions B–F, compatibility supplement
            0x30000...0x323AF, // extensions G, H
        ]

        /// Punctuation outside the CJK blocks that Chinese text uses as full-width marks.
        private static let chinesePunctuation: Set<UInt32> = [
            0x00B7, // ·
            0x2014, 0x2015, // — ―
            0x2016, // ‖
            0x2018, 0x2019, 0x201C, 0x201D, // ‘ ’ “ ”
            0x2026, // …
            0x203B, // ※
        ]

        private static func isEastAsian(_ v: UInt32) -> Bool {
            if chinesePunctuation.contains(v) { return true }
            return eastAsianRanges.contains { $0.contains(v) }
        }
    }
}
