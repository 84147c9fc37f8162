import Foundation
import Intake

/// A member of the review committee (评审专家), from `[[review.reviewer]]`.
public struct Reviewer: Sendable, Hashable {
    public var name: String
    /// Lowercased: the key assignments and scores are filed under (and, later, the sender a
    /// returned scoring sheet must come from).
    public var address: String
    /// The unit's registered name (`Config/units.toml`): a reviewer never reviews its deeds.
    public var unit: String

    public init(name: String, address: String, unit: String) {
        self.name = name
        self.address = address.lowercased()
        self.unit = unit
    }
}

/// The committee review's configuration (`[review]`): criteria and weights, k reviewers per
/// deed, the reviewers, and when reviewers count as disagreeing.
public struct ReviewSettings: Sendable, Hashable {
    public var criteria: [ReviewCriterion]
    public var reviewersPerDeed: Int
    public var reviewers: [Reviewer]
    /// A deed whose reviews' standard deviation (of the weighted scores, on the 1–10 scale) is at
    /// least this is flagged for strong disagreement.
    public var disagreementSpread: Double
    /// How large a scoring mail may grow with the deeds' materials: videos that would pass it
    /// stay behind and the mail names them (`max_mail_mb`, default 20).
    public var maxMailBytes: Int64 = defaultMaxMailBytes

    public static let defaultReviewersPerDeed = 3
    public static let defaultMaxMailBytes: Int64 = 20 << 20
    public static let defaultDisagreementSpread = 2.0

    public init(criteria: [ReviewCriterion], reviewersPerDeed: Int = defaultReviewersPerDeed, reviewers: [Reviewer],
                disagreementSpread: Double = defaultDisagreementSpread) {
        self.criteria = criteria
        self.reviewersPerDeed = reviewersPerDeed
        self.reviewers = reviewers
        self.disagreementSpread = disagreementSpread
    }

    /// A reviewer by address (any case) or by name.
    public func reviewer(_ identifier: String) -> Reviewer? {
        let wanted = identifier.trimmingCharacters(in: .whitespaces)
        return reviewers.first { $0.address == wanted.lowercased() } ?? reviewers.first { $0.name == wanted }
    }

    /// A plausible mail address: one @, something on each side, a dot in the domain, no white
    /// space, control characters, angle brackets or commas (it goes into a To: header one day).
    public static func isPlausibleAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !text.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F || "<>,;\"()[]\\".unicodeScalars.contains($0) }
    }
}
