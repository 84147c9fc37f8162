import Foundation
import Testing
@testable import Fingerprints

@Suite("MinHash and LSH")
struct MinHashTests {
    static let pinnedText = "韩思远在物理研究所从事超导与低温物理研究。"

    @Test func shingleCounts() {
        let hasher = MinHasher()
        #expect(hasher.shingles(of: "abcdefg").count == 3)
        #expect(hasher.shingles(of: "abcde").count == 1)
        #expect(hasher.shingles(of: "abc").count == 1)
        #expect(hasher.shingles(of: "").isEmpty)
        #expect(hasher.shingles(of: "aaaaaaaaaa").count == 1)
        #expect(hasher.shingles(of: "物理研究所物理研究所") .count == 5)
        #expect(MinHasher(shingleLength: 2).shingles(of: "abcd").count == 3)
    }

    @Test func deterministicAcrossInstances() {
        let text = TextNormalizer.normalized(Essay(pool: Corpus.physicsHan).text)
        let first = MinHasher(), second = MinHasher()
        #expect(first.shingles(of: text) == second.shingles(of: text))
        #expect(first.signature(of: text) == second.signature(of: text))
        let banding = LSHBanding()
        #expect(banding.bandKeys(of: first.signature(of: text)) == LSHBanding().bandKeys(of: second.signature(of: text)))
        // The set path and the sequence path agree.
        #expect(first.signature(ofShingleHashes: first.shingles(of: text)) == first.signature(of: text))
        // Another seed is another family of permutations.
        #expect(MinHasher(seed: 42).signature(of: text) != first.signature(of: text))
    }

    /// Pinned values: a change in normalization, shingling, hashing, permutation or banding
    /// breaks this test, and with it every fingerprint stored in a database.
    @Test func pinnedValues() {
        let hasher = MinHasher()
        let normalized = TextNormalizer.normalized(Self.pinnedText)
        #expect(normalized == "韩思远在物理研究所从事超导与低温物理研究")
        #expect(hasher.shingles(of: "物理研究所") == [PinnedValues.shingle])
        let signature = hasher.signature(of: normalized)
        #expect(signature.values.count == 128)
        #expect(Array(signature.values.prefix(4)) == PinnedValues.signaturePrefix)
        let keys = LSHBanding().bandKeys(of: signature)
        #expect(keys.count == 32)
        #expect(Array(keys.prefix(3)) == PinnedValues.bandKeyPrefix)
        print("pinned: shingle=\(hasher.shingles(of: "物理研究所").first!) signature=\(Array(signature.values.prefix(4))) keys=\(Array(keys.prefix(3)))")
    }

    @Test func bandKeysMixBandIndex() {
        let constant = MinHashSignature(values: [UInt32](repeating: 7, count: 128))
        let keys = LSHBanding().bandKeys(of: constant)
        #expect(Set(keys).count == 32, "equal rows in different bands must give different keys")
        var changed = constant
        changed.values[5] = 8 // row 1 of band 1
        let changedKeys = LSHBanding().bandKeys(of: changed)
        #expect(zip(keys, changedKeys).filter { $0 != $1 }.count == 1)
        #expect(keys[1] != changedKeys[1])
        #expect(LSHBanding(bands: 16, rows: 8).bandKeys(of: constant).count == 16)
    }

    @Test func sCurve() {
        let banding = LSHBanding()
        let points: [(Double, Double)] = [(0.1, 0.0032), (0.2, 0.0500), (0.38, 0.4905), (0.42, 0.6364), (0.5, 0.8732), (0.6, 0.9882), (0.7, 0.99985)]
        for (s, expected) in points {
            #expect(abs(banding.candidateProbability(jaccard: s) - expected) < 0.0005, "s=\(s)")
        }
        #expect(banding.candidateProbability(jaccard: 0.8) > 0.9999999)
        #expect(banding.candidateProbability(jaccard: 0) == 0)
        #expect(banding.candidateProbability(jaccard: 1) == 1)
    }

    @Test func estimateTracksExactJaccard() throws {
        let hasher = MinHasher()
        let base = Essay(pool: Corpus.physicsHan)
        let others = [
            Variants.replacingTenPercent(base, pool: Corpus.physicsHan).text,
            Variants.shortened(base).text,
            Essay(pool: Corpus.physicsTeam).text,
            Essay(pool: Corpus.rice).text,
        ]
        let a = TextNormalizer.normalized(base.text)
        for other in others {
            let b = TextNormalizer.normalized(other)
            let exact = Similarity.jaccard(hasher.shingles(of: a), hasher.shingles(of: b))
            let estimate = MinHasher.estimatedSimilarity(hasher.signature(of: a), hasher.signature(of: b))
            print("estimate \(estimate) vs exact \(exact)")
            #expect(abs(estimate - exact) < 0.12)
        }
        #expect(MinHasher.estimatedSimilarity(MinHashSignature(values: [1, 2]), MinHashSignature(values: [1])) == 0)
        #expect(MinHasher.estimatedSimilarity(MinHashSignature(values: []), MinHashSignature(values: [])) == 0)
    }

    @Test func timing() {
        // A 3,000-字 essay: the two physics essays back to back, cut to 3,000 normalized characters.
        let raw = Essay(pool: Corpus.physicsHan).text + Essay(pool: Corpus.physicsTeam).text
        let normalized = String(String.UnicodeScalarView(TextNormalizer.normalized(raw).unicodeScalars.prefix(3000)))
        #expect(normalized.unicodeScalars.count == 3000)
        let hasher = MinHasher()
        let rounds = 50
        var sink = 0
        let clock = ContinuousClock()
        let signatureTime = clock.measure {
            for _ in 0..<rounds { sink &+= Int(hasher.signature(of: normalized).values[0]) }
        }
        let normalizeTime = clock.measure {
            for _ in 0..<rounds { sink &+= TextNormalizer.normalized(raw).unicodeScalars.count }
        }
        let fingerprintTime = clock.measure {
            for _ in 0..<rounds { sink &+= EssayFingerprint.make(normalized: normalized)?.shingleCount ?? 0 }
        }
        func ms(_ d: Duration) -> String {
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            return String(format: "%.3f ms", seconds * 1000 / Double(rounds))
        }
        print("timing (3,000 normalized characters): signature \(ms(signatureTime)), fingerprint (shingle set + signature + bands) \(ms(fingerprintTime)), normalization of \(raw.count)-character raw text \(ms(normalizeTime)) [sink \(sink % 2)]")
    }
}

/// Values printed by `pinnedValues` when the algorithm was fixed (tuibao-1 seeds).
enum PinnedValues {
    static let shingle: UInt64 = 13_003_405_185_783_244_228
    static let signaturePrefix: [UInt32] = [388_410_234, 240_460_091, 333_650_277, 69_388_202]
    static let bandKeyPrefix: [Int64] = [250_444_532_397_690_860, 48_007_347_681_169_748, 2_462_477_345_232_447_957]
}
