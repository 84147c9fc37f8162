import ArgumentParser
import Foundation
import Store

/// `tuibao stats`: counts per unit, per status, per day.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "统计：按单位、状态、日期。 Counts per unit, status and day.")

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "输出 JSON。")
    var json = false

    struct Stats: Encodable {
        var total: Int
        var byStatus: [String: Int]
        var byUnit: [String: Int]
        var byDay: [String: Int]
        var ignoredMessages: Int
        var failedMessages: Int
    }

    func run() throws {
        let (_, store) = try gateway.openStore()
        let rows = try store.submissions()
        let stats = Stats(total: rows.count,
                          // Every status, zeros included: a script reads a count, not a missing key.
                          byStatus: Dictionary(uniqueKeysWithValues: SubmissionStatus.allCases.map { status in
                              (status.rawValue, rows.lazy.filter { $0.status == status }.count)
                          }),
                          byUnit: Dictionary(grouping: rows, by: { $0.unitName ?? "（未知单位）" }).mapValues(\.count),
                          byDay: Dictionary(grouping: rows, by: { StaffFormatting.day($0.createdAt) }).mapValues(\.count),
                          ignoredMessages: try store.messages(status: .ignored).count,
                          failedMessages: try store.messages(status: .failed).count)
        if json { print(try JSONOutput.string(stats)); return }
        var output = "推报共 \(stats.total) 件；不处理的邮件 \(stats.ignoredMessages) 封，解析失败 \(stats.failedMessages) 封。\n\n"
        var byStatus = TextTable(["状态", "件数"])
        for status in SubmissionStatus.allCases { byStatus.add([status.label, "\(stats.byStatus[status.rawValue] ?? 0)"]) }
        var byUnit = TextTable(["单位", "件数"])
        for (unit, count) in stats.byUnit.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) { byUnit.add([unit, "\(count)"]) }
        var byDay = TextTable(["日期", "件数"])
        for (day, count) in stats.byDay.sorted(by: { $0.key < $1.key }) { byDay.add([day, "\(count)"]) }
        output += byStatus.render() + "\n" + byUnit.render() + "\n" + byDay.render()
        print(output, terminator: "")
    }
}
