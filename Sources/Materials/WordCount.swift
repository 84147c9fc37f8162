/// Interim 字数 counter (Han characters and CJK punctuation 1 each, Latin/digit runs 1 each);
/// replaced by the documented reader-side implementation.
public enum WordCount {
    public static func count(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x20000...0x3FFFF).contains(value)
                || (0x3000...0x303F).contains(value) || (0xFF00...0xFFEF).contains(value) || (0x2014...0x2026).contains(value) {
                count += 1
                inWord = false
            } else if scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) {
                if !inWord { count += 1 }
                inWord = true
            } else {
                inWord = false
            }
        }
        return count
    }
}
