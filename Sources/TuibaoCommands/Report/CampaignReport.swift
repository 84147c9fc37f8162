import Foundation
import Gateway
import Intake
import Materials
import Store

/// The figures of the office report (`tuibao report`): how the campaign stands, for the office
/// head. One value, rendered as a self-contained HTML page or printed as JSON for scripts.
struct CampaignReport: Encodable {
    struct Campaign: Encodable {
        var id: String
        var name: String
    }

    struct Totals: Encodable {
        var submissions: Int
        /// Acknowledged, needing correction or accepted.
        var live: Int
        var byStatus: [String: Int]
    }

    struct Unit: Encodable {
        var name: String
        var byStatus: [String: Int]
        var live: Int
    }

    struct Day: Encodable {
        /// YYYY-MM-DD in the campaign's zone.
        var day: String
        var submissions: Int
    }

    struct Problem: Encodable {
        var code: String
        var label: String
        var severity: String
        var submissions: Int
    }

    struct Duplicate: Encodable {
        var trackingNumber: String
        var code: String
        var label: String
        var matched: String
    }

    struct Pending: Encodable {
        struct Link: Encodable {
            var url: String
            var provider: String
            @Nullable var code: String?
        }
        var trackingNumber: String
        var links: [Link]
    }

    var campaign: Campaign
    var generatedAt: Date
    var timeZone: String
    var totals: Totals
    /// Messages received, by what became of them (received, filed, ignored, failed).
    var messages: [String: Int]
    /// Every unit of the registry, in its order.
    var units: [Unit]
    /// Submissions from senders the registry does not know, by status.
    var unregistered: [String: Int]
    /// Every day from the first submission to the last, zeros included.
    var perDay: [Day]
    var problems: [Problem]
    var duplicates: [Duplicate]
    var pendingLinks: [Pending]
    /// Replies by status: queued, sent, suppressed (held), failed.
    var replies: [String: Int]

    static func make(configuration: GatewayConfiguration, store: TuibaoStore, now: Date) throws -> CampaignReport {
        let rows = try store.submissions()
        let counts = try store.unitStatusCounts()
        let figures = try store.reportFigures()
        func byStatus(_ values: [SubmissionStatus: Int]) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: SubmissionStatus.allCases.map { ($0.rawValue, values[$0] ?? 0) })
        }
        let registered = Set(configuration.units.units.map(\.name))
        var totalByStatus: [SubmissionStatus: Int] = [:], unregistered: [SubmissionStatus: Int] = [:]
        for row in rows {
            totalByStatus[row.status, default: 0] += 1
            if row.unitName.map({ !registered.contains($0) }) ?? true { unregistered[row.status, default: 0] += 1 }
        }
        let units = configuration.units.units.map { unit in
            let values = counts[unit.name] ?? [:]
            return Unit(name: unit.name, byStatus: byStatus(values), live: values.filter { $0.key.isLive }.values.reduce(0, +))
        }
        return CampaignReport(
            campaign: Campaign(id: configuration.campaign.id, name: configuration.campaign.name),
            generatedAt: now, timeZone: configuration.timeZone.identifier,
            totals: Totals(submissions: rows.count, live: rows.filter { $0.status.isLive }.count, byStatus: byStatus(totalByStatus)),
            messages: Dictionary(uniqueKeysWithValues: [MessageStatus.received, .filed, .ignored, .failed].map { ($0.rawValue, figures.messages[$0] ?? 0) }),
            units: units, unregistered: byStatus(unregistered),
            perDay: days(rows.map(\.createdAt)),
            problems: figures.problems.map { Problem(code: $0.code.rawValue, label: $0.code.label, severity: $0.code.severity.rawValue,
                                                      submissions: $0.submissions) },
            duplicates: figures.duplicates.map { Duplicate(trackingNumber: $0.trackingNumber, code: $0.code.rawValue, label: $0.code.label,
                                                           matched: $0.matched) },
            pendingLinks: figures.pendingLinks.map { pending in
                let links = (try? JSONDecoder().decode([PendingLink].self, from: Data(pending.linksJSON.utf8))) ?? []
                return Pending(trackingNumber: pending.trackingNumber,
                               links: links.map { Pending.Link(url: $0.url, provider: $0.provider.rawValue, code: $0.code) })
            },
            replies: Dictionary(uniqueKeysWithValues: [ReplyStatus.queued, .sent, .suppressed, .failed].map { ($0.rawValue, figures.replies[$0] ?? 0) }))
    }

    /// Submissions per day in the campaign's zone, every day of the span (a gap is a zero bar).
    static func days(_ dates: [Date]) -> [Day] {
        let counts = Dictionary(grouping: dates, by: { StaffFormatting.day($0) }).mapValues(\.count)
        guard let first = dates.min(), let last = dates.max() else { return [] }
        let calendar = StaffFormatting.clock.calendar
        var day = calendar.startOfDay(for: first)
        var result: [Day] = []
        while day <= last && result.count < 3660 {
            let key = StaffFormatting.day(day)
            result.append(Day(day: key, submissions: counts[key] ?? 0))
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        return result
    }
}
