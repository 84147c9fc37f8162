/// A criterion of the committee's review (评审标准): its name and its weight in a deed's score.
/// Scores run from 1 to 10 (`ReviewScale`); weights are relative (0.4/0.3/0.3 or 2/1/1 alike).
public struct ReviewCriterion: Sendable, Hashable, Codable {
    public var name: String
    public var weight: Double

    public init(name: String, weight: Double) {
        self.name = name
        self.weight = weight
    }
}

/// The scale every criterion is scored on.
public enum ReviewScale {
    public static let lowest = 1.0
    public static let highest = 10.0
    public static func contains(_ value: Double) -> Bool { value.isFinite && value >= lowest && value <= highest }
}

/// Where a score came from: entered by staff (`tuibao review score`), or read from a scoring
/// sheet a reviewer mailed back (`tuibao review send`, then intake).
public enum ScoreSource: String, Sendable, Codable, CaseIterable {
    case staff, sheet

    public var label: String {
        switch self {
        case .staff: "工作人员录入"
        case .sheet: "评分表"
        }
    }
}
