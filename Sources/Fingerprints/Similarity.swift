import Foundation

/// Exact similarity measures used after LSH has produced candidates.
public enum Similarity {
    /// |A ∩ B| / |A ∪ B|. 0 when both sets are empty.
    public static func jaccard(_ a: Set<UInt64>, _ b: Set<UInt64>) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 0 }
        let (small, large) = a.count <= b.count ? (a, b) : (b, a)
        let common = small.reduce(into: 0) { count, element in if large.contains(element) { count += 1 } }
        return Double(common) / Double(a.count + b.count - common)
    }

    /// |A ∩ B| / |A|: the fraction of `a` found in `b`. 0 when `a` is empty.
    public static func containment(_ a: Set<UInt64>, in b: Set<UInt64>) -> Double {
        guard !a.isEmpty else { return 0 }
        let common = a.reduce(into: 0) { count, element in if b.contains(element) { count += 1 } }
        return Double(common) / Double(a.count)
    }

    /// Exact comparison of two essay shingle sets. See ``EssaySimilarity``.
    public static func essays(shingles a: Set<UInt64>, _ b: Set<UInt64>) -> EssaySimilarity {
        let (small, large) = a.count <= b.count ? (a, b) : (b, a)
        return EssaySimilarity(jaccard: jaccard(a, b), containment: containment(small, in: large))
    }

    /// Exact comparison of two raw essay texts (normalized here).
    public static func essays(_ a: String, _ b: String, hasher: MinHasher = MinHasher()) -> EssaySimilarity {
        essays(
            shingles: hasher.shingles(of: TextNormalizer.normalized(a)),
            hasher.shingles(of: TextNormalizer.normalized(b))
        )
    }

    /// Estimated comparison from two stored fingerprints, for when the earlier essay's text is
    /// not at hand. Jaccard is the MinHash estimate (± ~0.04); containment is derived from it and
    /// the shingle counts: |A∩B| = J·(|A|+|B|)/(1+J).
    public static func estimated(_ a: EssayFingerprint, _ b: EssayFingerprint) -> EssaySimilarity {
        let j = MinHasher.estimatedSimilarity(a.signature, b.signature)
        let smaller = Double(min(a.shingleCount, b.shingleCount))
        guard smaller > 0 else { return EssaySimilarity(jaccard: j, containment: 0) }
        let intersection = j * Double(a.shingleCount + b.shingleCount) / (1 + j)
        return EssaySimilarity(jaccard: j, containment: min(1, intersection / smaller))
    }

    /// Similarity of two titles in [0, 1].
    ///
    /// Titles are normalized with ``TextNormalizer/normalizedName(_:)`` and compared by the Dice
    /// coefficient of their character bigrams (multiset): 2·|common| / (|A| + |B|). A trailing
    /// subtitle introduced by a dash (`——记韩思远`, `—记…`, `--…`) is common in nomination essays
    /// and often added or dropped by a colleague resending the essay, so the score is the larger
    /// of the full-title comparison and the main-title (before the dash) comparison.
    ///
    /// Identical normalized titles score 1. A title that normalizes to nothing (only
    /// punctuation or empty) scores 0 against anything: an absent title is no evidence.
    public static func title(_ a: String, _ b: String) -> Double {
        let full = dice(TextNormalizer.normalizedName(a), TextNormalizer.normalizedName(b))
        let main = dice(TextNormalizer.normalizedName(mainTitle(a)), TextNormalizer.normalizedName(mainTitle(b)))
        return max(full, main)
    }

    /// The part of a title before a subtitle dash (`——`, `—`, `―`, `─`, `–`, `--`, full-width
    /// `－－`); the whole title if there is none or nothing precedes it.
    public static func mainTitle(_ title: String) -> String {
        let folded = title.precomposedStringWithCompatibilityMapping // full-width －－ → --
        let separators = ["—", "―", "─", "–", "--", "~~"]
        var cut = folded.endIndex
        for separator in separators {
            if let range = folded.range(of: separator), range.lowerBound < cut {
                cut = range.lowerBound
            }
        }
        let main = String(folded[..<cut])
        return TextNormalizer.normalizedName(main).isEmpty ? title : main
    }

    /// Dice coefficient of character bigrams of two normalized strings.
    static func dice(_ a: String, _ b: String) -> Double {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        guard !x.isEmpty, !y.isEmpty else { return 0 }
        if x == y { return 1 }
        guard x.count >= 2, y.count >= 2 else { return 0 }
        var counts: [UInt64: Int] = [:]
        for i in 0..<(x.count - 1) {
            counts[UInt64(x[i].value) << 32 | UInt64(x[i + 1].value), default: 0] += 1
        }
        var common = 0
        for i in 0..<(y.count - 1) {
            let key = UInt64(y[i].value) << 32 | UInt64(y[i + 1].value)
            if let count = counts[key], count > 0 {
                counts[key] = count - 1
                common += 1
            }
        }
        return 2 * Double(common) / Double(x.count - 1 + y.count - 1)
    }
}

/// The result of comparing two essays.
public struct EssaySimilarity: Sendable, Hashable, Codable {
    /// Jaccard similarity of the two 5-shingle sets.
    public var jaccard: Double
    /// Containment of the smaller shingle set in the larger one: catches a shortened resend
    /// (80 % of the sentences has Jaccard ≈ 0.8 but containment ≈ 1).
    public var containment: Double

    public init(jaccard: Double, containment: Double) {
        self.jaccard = jaccard
        self.containment = containment
    }
}
