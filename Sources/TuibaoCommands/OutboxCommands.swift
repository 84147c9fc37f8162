import ArgumentParser
import Foundation
import Store

/// `tuibao outbox`: replies waiting to be sent, sent, or failed.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "查看待发（及已发、失败）的回复。 List replies in the outbox.")

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "只看发送失败的。 Failed replies only.")
    var failed = false

    @Flag(help: "只看因频率限制或内容重复而未发送的。 Suppressed replies only (rate limit, identical).")
    var suppressed = false

    @Flag(help: "包括已发送的。 Include sent replies.")
    var all = false

    @Flag(help: "输出 JSON。")
    var json = false

    func run() throws {
        let (_, store) = try gateway.openStore()
        let replies = try store.replies(status: failed ? .failed : suppressed ? .suppressed : (all ? nil : .queued))
        if json { print(try JSONOutput.string(replies)); return }
        guard !replies.isEmpty else {
            print(failed ? "没有发送失败的回复。" : suppressed ? "没有未发送的回复。" : "待发队列为空。")
            return
        }
        let showReason = failed || suppressed
        var table = TextTable(["回复", "状态", "收件人", "生成时间", "主题"] + (showReason ? ["原因"] : []))
        for reply in replies {
            table.add(["\(reply.id!)", reply.status.rawValue, reply.recipient, StaffFormatting.date(reply.createdAt), reply.subject]
                      + (showReason ? [reply.lastError ?? ""] : []))
        }
        print(table.render() + "共 \(replies.count) 封。", terminator: "\n")
    }
}

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
                          byStatus: Dictionary(grouping: rows, by: { $0.status.rawValue }).mapValues(\.count),
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

/// `tuibao units [--missing]`: the registry, or the units that have not sent anything yet.
struct UnitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units", abstract: "单位名录；--missing 列出尚未报送的单位。 The units registry.")

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "只列出尚未报送的单位。 Units with no submission yet.")
    var missing = false

    @Flag(help: "输出 JSON。")
    var json = false

    func run() throws {
        let (configuration, store) = try gateway.openStore()
        let sent = try store.unitsWithSubmissions()
        let units = configuration.units.units.filter { !missing || !sent.contains($0.name) }
        if json { print(try JSONOutput.string(units.map(\.name))); return }
        var table = TextTable(["单位", "简称", "邮箱域名", "已报送"])
        for unit in units {
            table.add([unit.name, unit.aliases.joined(separator: "、"), unit.domains.joined(separator: " "), sent.contains(unit.name) ? "是" : "否"])
        }
        let summary = missing ? "尚未报送：\(units.count) 个单位（名录共 \(configuration.units.units.count) 个）。"
                              : "名录共 \(units.count) 个单位，已报送 \(sent.count) 个。"
        print(table.render() + summary)
    }
}
