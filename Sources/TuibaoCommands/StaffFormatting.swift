import Foundation
import Store

/// Shared presentation for staff commands: dates in Beijing time, who is acting.
enum StaffFormatting {
    static let beijing = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
    /// Made once: building a Calendar per row cost a tenth of `tuibao queue`.
    static let beijingCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = beijing
        return calendar
    }()

    /// The current time, or `$TUIBAO_NOW` (ISO 8601) so tests can pin dates in output.
    static func now() -> Date {
        if let pinned = ProcessInfo.processInfo.environment["TUIBAO_NOW"],
           let date = try? Date(pinned, strategy: .iso8601) {
            return date
        }
        return Date()
    }

    static func date(_ date: Date) -> String {
        let c = beijingCalendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        // Padded by hand: String(format:) cost more than the query in a 10,000-row queue.
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(c.year!)-\(two(c.month!))-\(two(c.day!)) \(two(c.hour!)):\(two(c.minute!))"
    }

    static func day(_ date: Date) -> String { String(self.date(date).prefix(10)) }

    /// Parses `YYYY-MM-DD` as the start of that day in Beijing time.
    static func parseDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return beijingCalendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    /// Who is acting, for the event log: `--by`, else the login that ran sudo, else the user.
    static func actor(_ explicit: String?) -> String {
        let environment = ProcessInfo.processInfo.environment
        return explicit ?? environment["SUDO_USER"] ?? environment["USER"] ?? "staff"
    }

    static func size(_ bytes: Int64) -> String {
        if bytes >= 1_048_576 { return String(format: "%.1f MB", Double(bytes) / 1_048_576) }
        if bytes >= 1024 { return String(format: "%.0f KB", Double(bytes) / 1024) }
        return "\(bytes) B"
    }
}

extension SubmissionStatus {
    /// Accepts the English name or the Chinese label (`accepted`, `needs-correction`, `已采纳` …).
    init?(argument: String) {
        let normalized = argument.replacingOccurrences(of: "-", with: "").lowercased()
        if let match = SubmissionStatus.allCases.first(where: { $0.rawValue.lowercased() == normalized || $0.label == argument }) {
            self = match
        } else {
            return nil
        }
    }
}

/// Resolves a tracking number or id given on the command line, or fails with a clear message.
func requireSubmission(_ identifier: String, in store: TuibaoStore) throws -> SubmissionRecord {
    guard let submission = try store.submission(identifiedBy: identifier) else {
        throw CommandFailure("找不到推报 \(identifier) (no such submission: use a tracking number like YS2018-0042)")
    }
    return submission
}
