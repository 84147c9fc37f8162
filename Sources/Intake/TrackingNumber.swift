import Foundation

/// 受理编号: the campaign's prefix and a sequence, e.g. `YS2018-0042`. Readable on the phone,
/// stable for the life of the submission, shown in brackets in every reply subject.
public struct TrackingNumber: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public var prefix: String
    public var sequence: Int

    public init(prefix: String, sequence: Int) {
        self.prefix = prefix
        self.sequence = sequence
    }

    public var description: String {
        let digits = String(sequence)
        return prefix + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The number as it appears in reply subjects: `【YS2018-0042】`.
    public var bracketed: String { "【\(description)】" }

    /// Finds our tracking number in a subject a unit replied with, however the client quoted it
    /// (`回复：【YS2018-0042】…`, `Re: [YS2018-0042]`, full-width digits, lower case).
    public static func find(in text: String, prefix: String) -> TrackingNumber? {
        let folded = text.applyingTransform(.fullwidthToHalfwidth, reverse: false) ?? text
        let pattern = NSRegularExpression.escapedPattern(for: prefix) + #"\s*[-－—_]\s*(\d{1,6})(?!\d)"#
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return nil }
        let range = NSRange(folded.startIndex..., in: folded)
        guard let match = regex.firstMatch(in: folded, range: range),
              let digits = Range(match.range(at: 1), in: folded), let sequence = Int(folded[digits]) else { return nil }
        return TrackingNumber(prefix: prefix, sequence: sequence)
    }

    public static func < (lhs: TrackingNumber, rhs: TrackingNumber) -> Bool {
        (lhs.prefix, lhs.sequence) < (rhs.prefix, rhs.sequence)
    }
}
