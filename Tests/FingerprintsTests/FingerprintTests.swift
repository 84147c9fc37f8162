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

    @Test func fingerprintContents() throws {
        let text = Essay(pool: Corpus.rice).text
        let fingerprint = try #require(EssayFingerprint.make(text: text))
        let normalized = TextNormalizer.normalized(text)
        #expect(fingerprint.normalizedLength == normalized.unicodeScalars.count)
        #expect(fingerprint.shingleCount == MinHasher().shingles(of: normalized).count)
        #expect(fingerprint.signature == MinHasher().signature(of: normalized))
        #expect(fingerprint.bandKeys == LSHBanding().bandKeys(of: fingerprint.signature))
        #expect(fingerprint.bandKeys.count == 32)
        #expect(EssayFingerprint.make(normalized: normalized) == fingerprint)
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
