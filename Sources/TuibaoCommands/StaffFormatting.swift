import Foundation
import Gateway
import Store

/// The campaign's clock for everything staff read: wall-clock times in the configured zone
/// (`timezone`, default Asia/Shanghai), labelled, and ISO 8601 with offset for JSON and logs.
struct StaffClock: Sendable {
    let zone: TimeZone
    /// Made once: building a Calendar per row cost a tenth of `tuibao queue`.
    let calendar: Calendar

    init(zone: TimeZone) {
        self.zone = zone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// What a column header or a line says the times are in: 北京时间, or the zone's name.
    var label: String {
        ["Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Urumqi", "PRC"].contains(zone.identifier) && zone.secondsFromGMT() == 8 * 3600
            ? "北京时间" : zone.identifier
    }

    /// "2026-12-07 10:51" (the queue, show, outbox).
    func minute(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(c.year!)-\(Self.two(c.month!))-\(Self.two(c.day!)) \(Self.two(c.hour!)):\(Self.two(c.minute!))"
    }

    /// "2026-12-07T10:51:02+08:00": the one timestamp form of every `--json`.
    func iso8601(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = zone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600, minutes = abs(offset) % 3600 / 60
        return "\(Self.four(c.year!))-\(Self.two(c.month!))-\(Self.two(c.day!))T\(Self.two(c.hour!)):\(Self.two(c.minute!)):\(Self.two(c.second!))"
            + "\(sign)\(Self.two(hours)):\(Self.two(minutes))"
    }

    /// `YYYY-MM-DD` as the start of that day in the campaign's zone; nil for anything else
    /// (12-07-2026, 2026-13-45, 2026-02-30).
    func startOfDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              let date = calendar.date(from: DateComponents(year: year, month: month, day: day)) else { return nil }
        // Calendar rolls 02-30 over to 03-02; only a day that exists reads back the same.
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == year && back.month == month && back.day == day ? date : nil
    }

    // Padded by hand: String(format:) cost more than the query in a 10,000-row queue.
    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
    private static func four(_ n: Int) -> String { n < 1000 ? String(repeating: "0", count: 4 - String(n).count) + String(n) : String(n) }
}

/// Shared presentation for staff commands: dates in the campaign's zone, who is acting.
enum StaffFormatting {
    /// The campaign's clock, set once from the configuration a command loads (before any
    /// output); Asia/Shanghai until then.
    nonisolated(unsafe) static var clock = StaffClock(zone: GatewayConfiguration.beijing)

    /// The current time, or `$TUIBAO_NOW` (ISO 8601) so tests can pin dates in output.
    static func now() -> Date {
        if let pinned = ProcessInfo.processInfo.environment["TUIBAO_NOW"],
           let date = try? Date(pinned, strategy: .iso8601) {
            return date
        }
        return Date()
    }

    static func date(_ date: Date) -> String { clock.minute(date) }

    static func day(_ date: Date) -> String { String(self.date(date).prefix(10)) }

    /// Parses `YYYY-MM-DD` as the start of that day in the campaign's zone.
    static func parseDay(_ text: String) -> Date? { clock.startOfDay(text) }

    /// `--since` and the like: the day, or a one-line error naming the form wanted.
    static func requireDay(_ text: String) throws -> Date {
        guard let day = parseDay(text) else {
            throw CommandFailure("日期应为 YYYY-MM-DD 且确有此日，如 2026-12-07 (date must be YYYY-MM-DD): \(text)")
        }
        return day
    }

    /// A column header with the zone it is in: "收到时间（北京时间）".
    static func timeHeader(_ name: String) -> String { "\(name)（\(clock.label)）" }

    /// Who is acting, for the event log: `--by`, else the login that ran sudo, else the user.
    static func actor(_ explicit: String?) -> String {
        let environment = ProcessInfo.processInfo.environment
        return [explicit, environment["SUDO_USER"], environment["USER"]].compactMap { $0 }.first { !$0.isEmpty } ?? "staff"
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
