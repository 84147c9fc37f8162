import Foundation
import Testing
@testable import Fingerprints

/// The decision as tuibao makes it: LSH candidates (a shared band), then the exact check.
struct Comparison: CustomStringConvertible {
    let similarity: EssaySimilarity
    let estimated: Double
    let sharesBand: Bool
    let isSameEssay: Bool
    /// Passage anchors the second shares with the first, and how many the second has.
    let sharedAnchors: Int
    let anchors: Int
    /// What the store's candidate lookup accepts: a shared band, or a quarter of the query's 24
    /// smallest anchors (at least 3) found among the stored essay's anchors.
    var isCandidate: Bool { sharesBand || sharedAnchors >= max(3, anchors / 4) }

    init(_ a: String, _ b: String, thresholds: DuplicateThresholds = .default) throws {
        let fa = try #require(EssayFingerprint.make(text: a))
        let fb = try #require(EssayFingerprint.make(text: b))
        similarity = Similarity.essays(a, b)
        estimated = MinHasher.estimatedSimilarity(fa.signature, fb.signature)
        sharesBand = fa.sharesBand(with: fb)
        isSameEssay = thresholds.isSameEssay(similarity)
        let sample = fb.anchorKeys.sorted().prefix(24)
        sharedAnchors = Set(sample).intersection(fa.anchorKeys).count
        anchors = sample.count
    }

    var description: String {
        String(format: "jaccard %.3f, containment %.3f, minhash estimate %.3f, shares band %@, same essay %@",
               similarity.jaccard, similarity.containment, estimated, sharesBand ? "yes" : "no", isSameEssay ? "yes" : "no")
    }
}

@Suite("Near duplicates")
struct NearDuplicateTests {
    @Test func corpusIsRealistic() {
        var sentences = Set<String>()
        for pool in Corpus.pools {
            sentences.formUnion(pool.sentences + pool.extras)
            let text = Essay(pool: pool).text
            let visible = text.filter { !$0.isWhitespace }.count
            print("essay \(pool.name): \(visible) 字 (without whitespace), \(TextNormalizer.normalized(text).count) normalized")
            #expect((2000...3000).contains(visible), "\(pool.name): \(visible) 字")
        }
        #expect(sentences.count == 6 * 42)
    }

    static let cases: [String] = [
        "identical", "reordered paragraphs", "ASCII punctuation + PDF reflow", "new title",
        "traditional characters", "10 % of sentences replaced", "shortened to 80 %",
        "everything at once",
    ]

    static func variant(_ name: String, of pool: Pool) throws -> String {
        let essay = Essay(pool: pool)
        switch name {
        case "identical": return essay.text
        case "reordered paragraphs": return Variants.reorderedParagraphs(essay)
        case "ASCII punctuation + PDF reflow": return Variants.punctuationAndReflow(essay)
        case "new title": return Variants.retitled(essay, title: "科研报国的赤子之心——" + pool.name + "事迹材料")
        case "traditional characters": return try #require(Variants.traditional(essay.text))
        case "10 % of sentences replaced": return Variants.replacingTenPercent(essay, pool: pool).text
        case "shortened to 80 %": return Variants.shortened(essay).text
        case "everything at once":
            let changed = Variants.replacingTenPercent(essay, pool: pool)
            var retitled = changed
            retitled.title = "追光者"
            let reordered = Variants.reorderedParagraphs(retitled)
            let traditional = try #require(Variants.traditional(reordered))
            return Variants.pdfReflow(Variants.asciiPunctuation(traditional))
        default: fatalError(name)
        }
    }

    @Test(arguments: cases)
    func nearDuplicatesAreFound(_ name: String) throws {
        var lowest = 1.0
        for pool in Corpus.pools {
            let original = Essay(pool: pool).text
            let variant = try Self.variant(name, of: pool)
            let comparison = try Comparison(original, variant)
            print("near-dup [\(name)] \(pool.name): \(comparison)")
            #expect(comparison.isSameEssay, "\(name) / \(pool.name): \(comparison)")
            #expect(comparison.sharesBand, "\(name) / \(pool.name): \(comparison)")
            lowest = min(lowest, comparison.similarity.jaccard)

            switch name {
            case "identical", "ASCII punctuation + PDF reflow", "traditional characters":
                // Normalization removes the difference entirely.
                #expect(TextNormalizer.normalized(variant) == TextNormalizer.normalized(original))
                #expect(comparison.similarity.jaccard == 1)
                #expect(comparison.estimated == 1)
            case "reordered paragraphs", "new title":
                #expect(comparison.similarity.jaccard > 0.95)
            case "10 % of sentences replaced":
                #expect(comparison.similarity.jaccard > 0.75 && comparison.similarity.jaccard < 0.9)
                #expect(comparison.similarity.containment > 0.85 && comparison.similarity.containment < 0.95)
            case "shortened to 80 %":
                #expect(comparison.similarity.jaccard > 0.75 && comparison.similarity.jaccard < 0.85)
                #expect(comparison.similarity.containment > 0.98)
            case "everything at once":
                #expect(comparison.similarity.jaccard > 0.7)
            default:
                break
            }
        }
        print("near-dup [\(name)] lowest jaccard over all pools: \(lowest)")
    }

    @Test func sameInstituteSameFieldIsNotADuplicate() throws {
        let han = Essay(pool: Corpus.physicsHan).text
        let team = Essay(pool: Corpus.physicsTeam).text
        // The two essays really do share the vocabulary.
        for word in ["超导", "低温", "实验室", "物理所", "科研", "物理研究所", "制冷机", "磁场", "样品", "毫开尔文", "测量系统"] {
            #expect(han.contains(word) && team.contains(word), "\(word)")
        }
        let comparison = try Comparison(han, team)
        print("same institute + same field (物理所 超导, 韩思远 vs 极低温超导团队): \(comparison)")
        #expect(comparison.similarity.jaccard < 0.05)
        #expect(comparison.similarity.containment < 0.1)
        #expect(!comparison.isSameEssay)
        #expect(!comparison.sharesBand)

        // Even disguised (traditional, reflowed) and shortened, they stay apart.
        let disguised = try #require(Variants.traditional(Variants.punctuationAndReflow(Variants.shortened(Essay(pool: Corpus.physicsTeam)))))
        let disguisedComparison = try Comparison(han, disguised)
        print("same institute + same field, second one disguised and shortened: \(disguisedComparison)")
        #expect(disguisedComparison.similarity.jaccard < 0.05)
        #expect(disguisedComparison.similarity.containment < 0.1)
        #expect(!disguisedComparison.isSameEssay)
    }

    @Test func differentPoolsNeverMatch() throws {
        var highest = (jaccard: 0.0, containment: 0.0)
        for (i, p) in Corpus.pools.enumerated() {
            for q in Corpus.pools[(i + 1)...] {
                let comparison = try Comparison(Essay(pool: p).text, Essay(pool: q).text)
                print("different [\(p.name) / \(q.name)]: \(comparison)")
                #expect(comparison.similarity.jaccard < 0.2)
                #expect(comparison.similarity.containment < 0.2)
                #expect(!comparison.isSameEssay)
                #expect(!comparison.sharesBand)
                highest = (max(highest.jaccard, comparison.similarity.jaccard), max(highest.containment, comparison.similarity.containment))
            }
        }
        print("different pools: highest jaccard \(highest.jaccard), highest containment \(highest.containment)")
    }

    @Test func nearDuplicateOfOneIsNotADuplicateOfAnother() throws {
        // A disguised resend of essay A must match A only.
        let variant = try Self.variant("everything at once", of: Corpus.physicsHan)
        for pool in Corpus.pools {
            let comparison = try Comparison(Essay(pool: pool).text, variant)
            #expect(comparison.isSameEssay == (pool.name == Corpus.physicsHan.name), "\(pool.name): \(comparison)")
        }
    }
}

@Suite("Threshold margins")
struct ThresholdMarginTests {
    /// How similarity falls as more sentences are rewritten (replaced by sentences of the
    /// same-field sibling essay, the hardest realistic replacement). Documents where the
    /// default thresholds draw the line.
    @Test func gradedRewrites() throws {
        let base = Essay(pool: Corpus.physicsHan)
        var results: [(Int, EssaySimilarity)] = []
        for replaced in [0, 4, 8, 12, 20] {
            var copy = base
            let indices = stride(from: 1, to: copy.sentences.count, by: copy.sentences.count / max(replaced, 1)).prefix(replaced)
            for (n, index) in indices.enumerated() {
                copy.sentences[index] = Corpus.physicsTeam.sentences[n]
            }
            let similarity = Similarity.essays(base.text, copy.text)
            results.append((replaced, similarity))
            print(String(format: "rewritten %2d of %d sentences: jaccard %.3f, containment %.3f, same essay %@",
                         replaced, base.sentences.count, similarity.jaccard, similarity.containment,
                         DuplicateThresholds.default.isSameEssay(similarity) ? "yes" : "no"))
        }
        for (previous, next) in zip(results, results.dropFirst()) {
            #expect(next.1.jaccard < previous.1.jaccard)
        }
        let thresholds = DuplicateThresholds.default
        #expect(thresholds.isSameEssay(results[1].1)) // 10 %
        #expect(thresholds.isSameEssay(results[2].1)) // 20 %
        #expect(!thresholds.isSameEssay(results[4].1)) // 50 %: a different essay about the same deed
    }

    /// A resend cut to half its sentences: Jaccard ≈ 0.5, caught by containment. LSH, which
    /// works on Jaccard, misses it (this one shares no band); the passage anchors find it: every
    /// anchor of the half is an anchor of the whole.
    @Test(arguments: Corpus.pools.indices)
    func halfExcerpt(_ index: Int) throws {
        let pool = Corpus.pools[index]
        var half = Essay(pool: pool)
        half.sentences = Array(half.sentences.prefix(half.sentences.count / 2))
        let comparison = try Comparison(Essay(pool: pool).text, half.text)
        #expect(comparison.similarity.jaccard < 0.6)
        #expect(comparison.similarity.containment > 0.98)
        #expect(comparison.isSameEssay)
        #expect(comparison.isCandidate, "\(pool.name): \(comparison.sharedAnchors) of \(comparison.anchors) anchors")
        #expect(Double(comparison.sharedAnchors) >= 0.9 * Double(comparison.anchors))
        #expect(comparison.anchors == 24)
    }

    /// A resend padded to twice its length with another essay in front: found by the anchors.
    @Test(arguments: Corpus.pools.indices)
    func paddedToTwice(_ index: Int) throws {
        let pool = Corpus.pools[index]
        let other = Corpus.pools[(index + 1) % Corpus.pools.count]
        let padded = Essay(pool: other).text + Essay(pool: pool).text
        let comparison = try Comparison(Essay(pool: pool).text, padded)
        #expect(comparison.isSameEssay, "\(pool.name): \(comparison)")
        #expect(comparison.isCandidate, "\(pool.name): \(comparison.sharedAnchors) of \(comparison.anchors) anchors")
    }

    /// Different essays share no passage long enough to anchor a candidate.
    @Test func differentEssaysShareFewAnchors() throws {
        for p in Corpus.pools {
            for q in Corpus.pools where q.name != p.name {
                let comparison = try Comparison(Essay(pool: p).text, Essay(pool: q).text)
                #expect(!comparison.isCandidate, "\(p.name) / \(q.name): \(comparison.sharedAnchors) anchors shared")
            }
        }
    }
}
