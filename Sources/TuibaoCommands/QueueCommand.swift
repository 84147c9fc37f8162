import ArgumentParser
import Foundation
import Store

/// `tuibao queue`: the intake queue for staff.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "查看受理队列。 List submissions (or, with --failed, messages that could not be read).")

    @OptionGroup var gateway: GatewayOptions

    @Option(help: "只看某一状态 (acknowledged, needs-correction, already-submitted, accepted, rejected, 或中文状态名).")
    var status: String?

    @Option(help: "只看某一单位：名录中的名称或简称（如 物理所），或名称的一部分。 A registered unit or alias, or part of a name.")
    var unit: String?

    @Option(help: "只看此日期以来 (YYYY-MM-DD, 北京时间).")
    var since: String?

    @Option(help: "最多列出最近的 N 件（默认 50，0 为全部；--json 默认全部）。 At most the latest N (default 50; 0: all).")
    var limit: Int?

    @Option(help: "只看含这些词的（推报对象、标题、单位、发件人、征文）。 Only those holding these words.")
    var search: String?

    @Option(help: "排序：received（默认）、updated、unit、status、nominee。 Sort order.")
    var sort: Sort = .received

    @Flag(help: "只看指定给我的（tuibao assign）。 Only those assigned to me.")
    var mine = false

    @Option(help: "只看指定给某人的。 Only those assigned to this person.")
    var assignee: String?

    enum Sort: String, ExpressibleByArgument, CaseIterable { case received, updated, unit, status, nominee }

    @Flag(help: "列出解析失败的邮件。 List messages that failed to parse.")
    var failed = false

    @Flag(help: "输出 JSON。")
    var json = false

    func validate() throws {
        if let status, SubmissionStatus(argument: status) == nil {
            throw ValidationError("未知状态 (unknown status) \(status)")
        }
        if let limit, limit < 0 {
            throw ValidationError("--limit 不能为负数 (must not be negative): \(limit)")
        }
        if let since, StaffFormatting.parseDay(since) == nil {
            throw ValidationError("日期格式应为 YYYY-MM-DD (date must be YYYY-MM-DD): \(since)")
        }
    }

    func run() throws {
        let (configuration, store) = try gateway.openStore()
        if failed {
            let messages = try store.messages(status: .failed)
            if json { print(try JSONOutput.string(messages.map(MessageJSON.init))); return }
            print(Self.renderFailed(messages), terminator: "")
            return
        }
        // A terminal shows a page (the latest); scripts reading JSON get everything unless they ask.
        let shown = limit ?? (json ? 0 : Self.defaultLimit)
        // A registered name or alias (物理所) stands for its unit; anything else is a part of a name.
        let unitName = unit.map { configuration.units.unit(named: $0)?.name ?? $0 }
        let ids = try search.map { words in
            try SearchCommand.hits(words.split(separator: " ").map(String.init), store: store, limit: nil).map(\.row.id)
        }
        var filter = QueueFilter(status: status.flatMap(SubmissionStatus.init(argument:)), unit: unitName,
                                 since: since.flatMap(StaffFormatting.parseDay), limit: shown == 0 ? nil : shown,
                                 ids: ids, assignee: mine ? StaffFormatting.actor(nil) : assignee)
        let rows = Self.sorted(try store.submissions(filter), by: sort)
        if json { print(try JSONOutput.string(rows.map(SubmissionRowJSON.init))); return }
        filter.limit = nil
        let total = rows.count < shown ? rows.count : try store.submissionCount(filter)
        print(Self.render(rows, total: total), terminator: "")
    }

    static let defaultLimit = 50

    /// Received order is the store's (by tracking number); the others are stable on top of it,
    /// the latest change first for `updated`.
    static func sorted(_ rows: [SubmissionSummary], by sort: Sort) -> [SubmissionSummary] {
        let last = "\u{10FFFF}"  // rows without the value go to the end
        func key(_ row: SubmissionSummary) -> String {
            switch sort {
            case .received: ""
            case .updated: String(format: "%020.3f", 1e10 - row.updatedAt.timeIntervalSince1970)
            case .unit: row.unitName ?? last
            case .status: String(SubmissionStatus.allCases.firstIndex(of: row.status) ?? 0)
            case .nominee: row.nominee ?? last
            }
        }
        guard sort != .received else { return rows }
        return rows.enumerated().sorted { (key($0.element), $0.offset) < (key($1.element), $1.offset) }.map(\.element)
    }

    static func render(_ rows: [SubmissionSummary], total: Int? = nil, width: Int? = TerminalWidth.current) -> String {
        guard !rows.isEmpty else { return "队列为空。\n" }
        // Below 100 columns the version and file counts make room for names (`show` has them).
        let narrow = width.map { $0 < 100 } ?? false
        var table = TextTable(["受理编号", "单位", "推报对象", "状态"] + (narrow ? [] : ["版本", "材料"]) + ["问题", "收到时间", "标题"],
                              fixed: narrow ? [0, 3, 4, 5] : [0, 3, 4, 5, 6, 7])
        for row in rows {
            let problems = row.errors + row.warnings == 0 ? "—" : "\(row.errors) 错 \(row.warnings) 警"
            let nominee = row.nominee.map { name in row.category.map { "\(name)（\($0)）" } ?? name } ?? "—"
            table.add([row.trackingNumber, row.unitName.map(Self.shortUnitName) ?? "（未知）\(row.senderAddress)", nominee, row.status.label]
                      + (narrow ? [] : ["\(row.versions)", "\(row.files)"])
                      + [problems, StaffFormatting.date(row.createdAt), row.title ?? ""])
        }
        let total = total ?? rows.count
        let count = total > rows.count ? "共 \(total) 件，显示最近的 \(rows.count) 件（--limit 0 列出全部）。" : "共 \(rows.count) 件。"
        return table.render(maxWidth: width) + count + "时间为\(StaffFormatting.clock.label)。\n"
    }

    /// Every unit is the Academy's: the queue names it without 「中国科学院」 (物理研究所).
    static func shortUnitName(_ name: String) -> String {
        name.hasPrefix("中国科学院") && name.count > 5 ? String(name.dropFirst(5)) : name
    }

    static func renderFailed(_ messages: [MessageRecord]) -> String {
        guard !messages.isEmpty else { return "没有解析失败的邮件。\n" }
        var table = TextTable(["邮件编号", StaffFormatting.timeHeader("收到时间"), "大小", "原因"], fixed: [0, 1, 2])
        for message in messages {
            table.add(["\(message.id!)", StaffFormatting.date(message.receivedAt), StaffFormatting.size(message.size), message.reason ?? ""])
        }
        return table.render() + "共 \(messages.count) 封。原始邮件已保存，可用 tuibao reprocess 重新处理。\n"
    }
}
