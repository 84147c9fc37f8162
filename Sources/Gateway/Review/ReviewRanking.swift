import Foundation
import Intake

/// A reviewer's current scores for one deed: per criterion the value of the latest entry that
/// gave it (a later entry supersedes, criterion by criterion), and the latest comment.
public struct CurrentReview: Sendable, Hashable {
    public var deedId: Int64
    public var reviewer: String
    public var values: [String: Double]
    public var comment: String?
    /// How many entries were made (the latest version number).
    public var versions: Int

    public init(deedId: Int64, reviewer: String, values: [String: Double], comment: String? = nil, versions: Int = 1) {
        self.deedId = deedId
        self.reviewer = reviewer
        self.values = values
        self.comment = comment
        self.versions = versions
    }

    /// Every criterion has a value: the review counts as returned.
    public func isComplete(_ criteria: [ReviewCriterion]) -> Bool {
        criteria.allSatisfy { values[$0.name] != nil }
    }

    /// Σ wᵢ·sᵢ / Σ wᵢ over the criteria: on the same 1–10 scale; nil until complete.
    public func weighted(_ criteria: [ReviewCriterion]) -> Double? {
        guard isComplete(criteria) else { return nil }
        let total = criteria.reduce(0) { $0 + $1.weight }
        return criteria.reduce(0) { $0 + $1.weight * values[$1.name]! } / total
    }
}

/// The ranking of a round's deeds.
///
/// For each complete review from an assigned reviewer, its weighted score x = Σ wᵢ·sᵢ / Σ wᵢ.
/// Each reviewer r's weighted scores are standardised over that reviewer's own reviews in the
/// round: z = (x − μᵣ) / σᵣ, with μᵣ their mean and σᵣ their standard deviation (population,
/// ÷ n); a reviewer whose scores do not vary (σᵣ = 0, or a single review) gives z = 0 — they
/// tell nothing about which deed is better. A deed's standardised score is the mean of its z;
/// its weighted mean the mean of its x; its spread the standard deviation (population) of its x.
/// A harsh or lenient reviewer moves μᵣ, not z: adding 3 to all of one reviewer's scores changes
/// the weighted means of their deeds but no standardised score.
///
/// Order: deeds with at least one review by standardised score (highest first), then weighted
/// mean, then tracking number; equal standardised and weighted scores share a rank; deeds
/// without a review come last, unranked. Flags: missing reviews (fewer complete reviews than
/// assigned reviewers) and disagreement (spread ≥ the configured threshold).
public struct ReviewRanking: Sendable {
    public struct Deed: Sendable, Hashable {
        public var id: Int64
        public var key: String
        public init(id: Int64, key: String) {
            self.id = id
            self.key = key
        }
    }

    public struct Score: Sendable, Hashable {
        public var reviewer: String
        public var weighted: Double
        public var standardized: Double
    }

    public struct Row: Sendable, Hashable {
        public var deed: Deed
        public var rank: Int?
        public var weightedMean: Double?
        public var standardized: Double?
        public var spread: Double?
        public var reviews: Int
        public var assigned: Int
        public var missingReviews: Bool { reviews < assigned }
        public var disagreement: Bool
        /// The deed's reviews, by reviewer address.
        public var scores: [Score]
    }

    /// A reviewer's mean and standard deviation of weighted scores (what their z is made from).
    public struct Scale: Sendable, Hashable {
        public var mean: Double
        public var deviation: Double
        public var reviews: Int
    }

    public var criteria: [ReviewCriterion]
    public var disagreementSpread: Double

    public init(criteria: [ReviewCriterion], disagreementSpread: Double) {
        self.criteria = criteria
        self.disagreementSpread = disagreementSpread
    }

    /// Reviewer → their scale, from the complete reviews of assigned reviewers.
    public func scales(_ reviews: [CurrentReview], assigned: [Int64: Set<String>]) -> [String: Scale] {
        var byReviewer: [String: [Double]] = [:]
        for review in counted(reviews, assigned: assigned) {
            byReviewer[review.reviewer, default: []].append(review.weighted(criteria)!)
        }
        return byReviewer.mapValues { Scale(mean: Self.mean($0), deviation: Self.deviation($0), reviews: $0.count) }
    }

    public func rank(deeds: [Deed], assigned: [Int64: Set<String>], reviews: [CurrentReview]) -> [Row] {
        let scales = scales(reviews, assigned: assigned)
        var byDeed: [Int64: [Score]] = [:]
        for review in counted(reviews, assigned: assigned) {
            let x = review.weighted(criteria)!
            let scale = scales[review.reviewer]!
            let z = scale.deviation > 0 ? (x - scale.mean) / scale.deviation : 0
            byDeed[review.deedId, default: []].append(Score(reviewer: review.reviewer, weighted: x, standardized: z))
        }
        var rows = deeds.map { deed -> Row in
            let scores = (byDeed[deed.id] ?? []).sorted { $0.reviewer < $1.reviewer }
            let xs = scores.map(\.weighted)
            let spread = xs.isEmpty ? nil : Self.deviation(xs)
            return Row(deed: deed, rank: nil, weightedMean: xs.isEmpty ? nil : Self.mean(xs),
                       standardized: xs.isEmpty ? nil : Self.mean(scores.map(\.standardized)), spread: spread,
                       reviews: xs.count, assigned: assigned[deed.id]?.count ?? 0,
                       disagreement: xs.count >= 2 && (spread ?? 0) >= disagreementSpread - 1e-9, scores: scores)
        }
        rows.sort { a, b in
            switch (a.standardized, b.standardized) {
            case (nil, nil): return a.deed.key < b.deed.key
            case (nil, _): return false
            case (_, nil): return true
            case let (za?, zb?):
                if !Self.same(za, zb) { return za > zb }
                if !Self.same(a.weightedMean!, b.weightedMean!) { return a.weightedMean! > b.weightedMean! }
                return a.deed.key < b.deed.key
            }
        }
        for index in rows.indices where rows[index].standardized != nil {
            if index > 0, let previous = rows[index - 1].standardized, let rank = rows[index - 1].rank,
               Self.same(previous, rows[index].standardized!), Self.same(rows[index - 1].weightedMean!, rows[index].weightedMean!) {
                rows[index].rank = rank
            } else {
                rows[index].rank = index + 1
            }
        }
        return rows
    }

    /// Complete reviews by a reviewer assigned to the deed: the ones that count.
    private func counted(_ reviews: [CurrentReview], assigned: [Int64: Set<String>]) -> [CurrentReview] {
        reviews.filter { assigned[$0.deedId]?.contains($0.reviewer) == true && $0.isComplete(criteria) }
    }

    static func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    /// Population standard deviation (÷ n).
    static func deviation(_ values: [Double]) -> Double {
        let m = mean(values)
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)).squareRoot()
    }
}
