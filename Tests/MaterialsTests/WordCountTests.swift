import Testing
@testable import Materials

@Suite struct WordCountTests {
    @Test(arguments: [
        ("", 0),
        ("  \n\t ", 0),
        ("中国科学院", 5),
        ("你好，世界！", 6),
        ("Hello, world!", 2),
        ("COVID-19", 1),
        ("3.5", 1),
        ("don't", 1),
        ("e.g. state-of-the-art", 2),
        // 我们在 3 + 2023 1 + 年发表了 4 + COVID-19 1 + 相关论文 4 + 3.5 1 + 篇 1 + 。1
        ("我们在2023年发表了COVID-19相关论文3.5篇。", 16),
        // Each Chinese mark counts 1, so —— and …… count 2.
        ("《科学》“引号”（括号）【方括号】——破折号……省略号·间隔", 30),
        // Full-width letters and digits are East Asian characters, one each.
        ("ＡＢＣ１２３", 6),
        ("ABC123", 1),
        // Standalone ASCII punctuation is a word of its own.
        ("a - b", 3),
        ("中文(英文)", 6),
        ("中文 , 英文", 5),
        // Ideographic space and no-break space separate and count 0.
        ("中文\u{3000}测试", 4),
        ("a\u{00A0}b", 2),
        // Extension B ideographs and a compatibility ideograph.
        ("\u{20000}\u{2A6A5}\u{F900}", 3),
        ("ひらがなカタカナ", 8),
        // Hangul counts per word, as in Word's "朝鲜语单词".
        ("한국어 문장", 2),
        ("abc한국", 2),
        // Zero-width space neither counts nor splits.
        ("a\u{200B}b", 1),
    ])
    func countsLikeWord(text: String, expected: Int) {
        #expect(WordCount.count(text) == expected)
    }

    @Test func twoThousandCharacterParagraph() {
        let sentence = "中国科学院今年推荐了优秀青年科学家参评。"
        #expect(WordCount.count(sentence) == 20)
        let paragraph = String(repeating: sentence, count: 100)
        #expect(WordCount.count(paragraph) == 2000)
        let spaced = Array(repeating: sentence, count: 100).joined(separator: " ")
        #expect(WordCount.count(spaced) == 2000)
        let mixed = String(repeating: sentence + "We met in 2023. ", count: 100)
        #expect(WordCount.count(mixed) == 2400)
    }

    @Test func newlinesSplitLatinWords() {
        #expect(WordCount.count("alpha\nbeta\tgamma") == 3)
    }

    /// The fast classes for ASCII and the ideographs must be exactly what the property lookups say.
    @Test func commonClassesAgreeWithTheGeneralRule() {
        var answered = 0
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value), let fast = WordCount.CharacterClass.common(value) else { continue }
            answered += 1
            #expect(fast == WordCount.CharacterClass(general: scalar), "U+\(String(value, radix: 16))")
        }
        #expect(answered == 128 + 6_592 + 20_992)
    }
}
