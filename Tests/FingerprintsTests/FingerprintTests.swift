import Foundation
import Testing
@testable import Fingerprints

@Suite("EssayFingerprint")
struct FingerprintTests {
    @Test func shortTextsAreNotFingerprinted() {
        #expect(EssayFingerprint.make(text: "韩思远在物理研究所从事超导研究。") == nil)
        let sentence = Corpus.physicsHan.sentences[0] // 60-odd characters
        let twoHundred = String(repeating: "超", count: 200)
        #expect(EssayFingerprint.make(text: String(twoHundred.dropLast())) == nil)
        #expect(EssayFingerprint.make(text: twoHundred) != nil)
        // Punctuation and whitespace do not count towards the length.
        #expect(EssayFingerprint.make(text: String(repeating: sentence.prefix(5) + "，。 \n", count: 39)) == nil)
    }

    /// A fixed 216-字 text whose fingerprint was computed once by an independent Python
    /// implementation of the documented algorithm (NFKC + lowercase + letters/digits only;
    /// 5-scalar shingles, FNV-1a 64 then the SplitMix64 finalizer; 128 multiply-shift permutations
    /// drawn from SplitMix64 seeded "tuibao-1"; 32 × 4 LSH bands seeded "lsh-band"), not with this
    /// package's code (scripts/fingerprint-reference, run once on this text). The literals below
    /// are that script's output: any change to normalisation, hashing, seeds or banding (which
    /// would invalidate every stored fingerprint) fails here.
    static let pinnedText = """
    韩思远1982年生于河北，2004年毕业于北京大学物理学院，现为中国科学院物理研究所研究员。他长期从事低温超导与量子材料研究，带领团队在接近绝对零度的极端条件下测量电子的集体行为。ＡＢＣ实验室的同事说，他每天清晨六点就来到实验室，检查稀释制冷机的温度记录，然后和学生一起讨论前一天的数据。十余年来，他先后发表论文六十余篇，获得国家自然科学基金优秀青年科学基金资助。他常说：“科研没有捷径，只有一次又一次的实验。”面对失败，他总是鼓励学生从头再来；面对成绩，他把功劳归于集体。
    """

    @Test func fingerprintContents() throws {
        let fingerprint = try #require(EssayFingerprint.make(text: Self.pinnedText))
        // Full-width ＡＢＣ folds to "abc"; punctuation and quotes vanish.
        #expect(TextNormalizer.normalized(Self.pinnedText).hasSuffix("他把功劳归于集体"))
        #expect(TextNormalizer.normalized(Self.pinnedText).contains("行为abc实验室"))
        #expect(fingerprint.normalizedLength == 216)
        #expect(fingerprint.shingleCount == 212)
        #expect(fingerprint.signature.values == [
            4050878, 5897025, 23308676, 27375691, 23136088, 1113361, 26287754, 41231457,
            32436666, 2085153, 15628467, 17287383, 3954281, 406442, 1936787, 36203193,
            19191410, 9773182, 11990947, 10002848, 23301552, 18540968, 15263808, 14050003,
            6338995, 2681846, 27344297, 29899704, 18616759, 51612610, 18715307, 16278840,
            12695045, 20476081, 17842560, 29818693, 3555405, 1216229, 18727911, 6414352,
            8605675, 1013629, 3655096, 5873526, 6473684, 19450590, 6689655, 19556952,
            39066746, 11452823, 12421967, 1301073, 17999992, 35075953, 8063942, 7326810,
            9220239, 12168443, 25893676, 23830494, 51745845, 46620251, 14631351, 23864139,
            8342122, 47597795, 28630730, 47386840, 20009561, 2082247, 120266672, 4912509,
            12761814, 29013062, 8443850, 7547961, 16005652, 34646585, 5314436, 20761025,
            11859439, 22843666, 15294852, 145674, 5690805, 33056989, 54445832, 3184545,
            2242490, 37029521, 13813866, 24535261, 2337478, 2458353, 19915418, 12185615,
            638106, 89960, 6916590, 28639192, 54579109, 28566988, 13268484, 2282103,
            28859464, 11327383, 26413637, 3492196, 16357649, 2232439, 17435787, 5915012,
            6355374, 512930, 14793472, 17473622, 21901120, 63954979, 27498129, 27784370,
            26043821, 22506653, 24991258, 2020658, 8194414, 2679435, 28816000, 75255601,
        ])
        #expect(fingerprint.bandKeys == [
            -4097190694158956634, -5120840808031032810, -5961558306957068243, 3203528243928915313,
            489701270452612996, -6389275584826472188, -6008376626135649589, -8056335181507882875,
            -135115409710391856, -152524090806746716, 9134583380587370185, -5916653450609218461,
            7274017393857307525, -4696701506295317020, -579278352804588223, -4976622493201192690,
            4986599485002121325, -6257752011485365307, 1331875145483713992, 8613126669248542375,
            2866446420378689433, 2820402833917698427, 334848175382224912, 8136224996630772259,
            2636727736720690289, 242210597146610664, -7281712170357959179, 6170953504393357004,
            -2979260833247402858, -8736405207341367478, -8648460637723315852, 5098325157190192417,
        ])
        #expect(EssayFingerprint.make(normalized: TextNormalizer.normalized(Self.pinnedText)) == fingerprint)
    }

    @Test func codableRoundTrip() throws {
        let fingerprint = try #require(EssayFingerprint.make(text: Essay(pool: Corpus.glacier).text))
        let data = try JSONEncoder().encode(fingerprint)
        #expect(try JSONDecoder().decode(EssayFingerprint.self, from: data) == fingerprint)
    }

    @Test func estimatedContainmentFromFingerprints() throws {
        let base = Essay(pool: Corpus.fuelCell)
        let a = try #require(EssayFingerprint.make(text: base.text))
        let b = try #require(EssayFingerprint.make(text: Variants.shortened(base).text))
        let estimate = Similarity.estimated(a, b)
        let exact = Similarity.essays(base.text, Variants.shortened(base).text)
        print("shortened fuel-cell essay: estimated \(estimate), exact \(exact)")
        #expect(abs(estimate.jaccard - exact.jaccard) < 0.12)
        #expect(abs(estimate.containment - exact.containment) < 0.12)
        #expect(DuplicateThresholds.default.isSameEssay(estimate))
    }
}
