import Foundation
import Testing
@testable import Fingerprints

@Suite("TextNormalizer")
struct NormalizerTests {
    @Test func fullWidthFoldsToHalfWidthAndLowercase() {
        #expect(TextNormalizer.normalized("ＡＢＣ　ａｂｃ　１２３") == "abcabc123")
        #expect(TextNormalizer.normalized("ＣＯＶＩＤ－１９疫情") == "covid19疫情")
        #expect(TextNormalizer.normalized("CAS Institute of Physics") == "casinstituteofphysics")
    }

    @Test func punctuationAndWhitespaceVanish() {
        #expect(TextNormalizer.normalized("物理研究所，超导。\n  低温；实验室！") == "物理研究所超导低温实验室")
        #expect(TextNormalizer.normalized("“超导”（低温）【实验室】《物理》——记韩思远…") == "超导低温实验室物理记韩思远")
        #expect(TextNormalizer.normalized("Hello, World! 2024-05-01\t\r\n") == "helloworld20240501")
        #expect(TextNormalizer.normalized("超导⚡️★☆→") == "超导")
        #expect(TextNormalizer.normalized(" \n\t，。；：、") == "")
        #expect(TextNormalizer.normalized("") == "")
    }

    @Test func compatibilityForms() {
        // Circled digits and ideographic compatibility forms unfold under NFKC.
        #expect(TextNormalizer.normalized("①②③") == "123")
        #expect(TextNormalizer.normalized("㈠") == "一")
    }

    @Test func traditionalToSimplified() {
        #expect(
            TextNormalizer.normalized("物理研究所的科學家們在超導領域取得了重要進展。")
                == "物理研究所的科学家们在超导领域取得了重要进展"
        )
        #expect(TextNormalizer.normalized("韓思遠") == "韩思远")
        #expect(TextNormalizer.normalized("大連化學物理研究所") == "大连化学物理研究所")
        #expect(TextNormalizer.normalized("為中國汽車裝上氫動力之心") == "为中国汽车装上氢动力之心")
    }

    static let allCJK: String = {
        var text = String.UnicodeScalarView()
        for range: ClosedRange<UInt32> in [0x3400...0x4DBF, 0x4E00...0x9FFF] {
            for value in range { text.append(Unicode.Scalar(value)!) }
        }
        return String(text)
    }()

    @Test func foundationTransformWorksButIsContextSensitive() throws {
        // Foundation on Linux has ICU's transliterators.
        #expect("實驗室".applyingTransform(StringTransform("Hant-Hans"), reverse: false) == "实验室")
        // Why normalization does not call it: the result for 著 depends on the neighbours.
        let simplified = "田间抗病性显著提升".applyingTransform(StringTransform("Hant-Hans"), reverse: false)
        let traditional = "田間抗病性顯著提升".applyingTransform(StringTransform("Hant-Hans"), reverse: false)
        print("ICU Hant-Hans: 显著提升 → \(simplified ?? "nil"), 顯著提升 → \(traditional ?? "nil")")
        // The fold is not.
        #expect(TextNormalizer.normalized("田间抗病性显著提升") == TextNormalizer.normalized("田間抗病性顯著提升"))
        #expect(TextNormalizer.normalized("田间抗病性显著提升") == "田间抗病性显着提升")
    }

    @Test func tableAgreesWithICUCharacterByCharacter() throws {
        let pairs = TextNormalizer.icuTable.sorted { $0.key.value < $1.key.value }
        #expect(pairs.count == 3074)
        for pair in pairs {
            let converted = String(pair.key).applyingTransform(StringTransform("Hant-Hans"), reverse: false)
            #expect(converted == String(pair.value), "\(pair.key)")
        }
    }

    /// For every CJK character c: fold(Hans-Hant(c)) == fold(c), i.e. converting a simplified
    /// text to traditional with ICU never changes its normalized form.
    @Test func foldUndoesHansToHantForEveryCharacter() throws {
        let simplified = Array(Self.allCJK.unicodeScalars)
        let traditional = try #require(Self.allCJK.applyingTransform(StringTransform("Hans-Hant"), reverse: false))
        let converted = Array(traditional.unicodeScalars)
        try #require(converted.count == simplified.count)
        let fold = TextNormalizer.foldTable
        var mismatches: [String] = []
        for (s, t) in zip(simplified, converted) where (fold[s] ?? s) != (fold[t] ?? t) {
            mismatches.append("\(s)→\(t)")
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func foldIsIdempotent() {
        let fold = TextNormalizer.foldTable
        for (_, value) in fold {
            #expect((fold[value] ?? value) == value, "\(value) folds again")
        }
        #expect(TextNormalizer.foldToSimplified("韓思遠，乾隆，著名，沈阳") == "韩思远，干隆，着名，沉阳")
    }

    @Test func names() {
        #expect(TextNormalizer.normalizedName("  韩 思远 ") == "韩思远")
        #expect(TextNormalizer.normalizedName("中国科学院物理研究所。") == TextNormalizer.normalizedName("中國科學院 物理研究所"))
        #expect(TextNormalizer.normalizedName("Ｌｉｎ　Ｘｉａｏｌａｎ") == "linxiaolan")
    }

    @Test func idempotent() {
        for pool in Corpus.pools {
            let once = TextNormalizer.normalized(Essay(pool: pool).text)
            #expect(TextNormalizer.normalized(once) == once)
        }
    }

    /// The one-pass path must give exactly what NFKC + lowercasing + folding give, or stored
    /// fingerprints would change: every scalar it accepts, alone and between ideographs.
    @Test func plainPathAgreesWithTheGeneralPathForEveryScalarItTakes() {
        var taken = 0
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            for text in [String(scalar), "超\(scalar)导", "A\(scalar)b"] {
                guard let plain = TextNormalizer.plainNormalized(text) else { continue }
                taken += 1
                #expect(plain == TextNormalizer.fullyNormalized(text), "U+\(String(value, radix: 16, uppercase: true))")
            }
        }
        #expect(taken > 3 * 27_000)
    }

    @Test func plainPathTakesEssaysAndLeavesTheRest() {
        for pool in Corpus.pools {
            let text = Essay(pool: pool).text
            let untaken = Set(text.unicodeScalars.filter { TextNormalizer.plainNormalized(String($0)) == nil })
            #expect(untaken.isEmpty, "not on the one-pass path: \(untaken.map { "U+" + String($0.value, radix: 16) })")
            #expect(TextNormalizer.plainNormalized(text) == TextNormalizer.fullyNormalized(text))
        }
        #expect(TextNormalizer.plainNormalized("①②③") == nil)
        #expect(TextNormalizer.plainNormalized("Café") == nil)
        #expect(TextNormalizer.plainNormalized("超导⚡️") == nil)
        #expect(TextNormalizer.normalized("Café ①") == "café1")
    }
}

@Suite("Essay fingerprint: a huge text")
struct HugeTextTests {
    /// A megabyte pasted as an essay is fingerprinted by its first 60,000 characters: the same
    /// fingerprint as that beginning alone, whatever follows.
    @Test func comparedByItsBeginning() throws {
        let sentence = Corpus.pools[0].sentences.joined()
        let huge = String(repeating: sentence + "第", count: 400) + "结尾不同"
        let normalized = TextNormalizer.normalized(huge)
        #expect(normalized.unicodeScalars.count > 3 * EssayFingerprint.maximumComparedLength)
        let beginning = String(String.UnicodeScalarView(normalized.unicodeScalars.prefix(EssayFingerprint.maximumComparedLength)))
        let whole = try #require(EssayFingerprint.make(text: huge))
        let start = try #require(EssayFingerprint.make(normalized: beginning))
        #expect(whole.normalizedLength == EssayFingerprint.maximumComparedLength)
        #expect(whole.signature == start.signature && whole.bandKeys == start.bandKeys && whole.anchorKeys == start.anchorKeys)
        #expect(EssayFingerprint.comparablePart(of: "短文") == "短文")
    }
}
