import ArgumentParser
import Foundation
import Store

/// `tuibao units [--missing | --progress]`: the registry, the units that have sent nothing
/// still in the running, or every unit × status.
struct UnitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "单位名录；--missing 列出尚无有效推报的单位；--progress 各单位各状态件数。 The units registry.",
        discussion: "有效推报 (live) 指已受理、待补正、已采纳的推报；重复报送、不采纳和已合并的不算。")

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "只列出尚无有效推报的单位。 Units with no live submission yet.")
    var missing = false

    @Flag(help: "每个单位各状态的件数。 Every unit × status.")
    var progress = false

    @Flag(help: "输出 JSON。")
    var json = false

    /// One unit of `units --json`.
    struct Unit: Encodable {
        var name: String
        var aliases: [String]
        var domains: [String]
        /// Submissions per status (every status, zeros included).
        var submissions: [String: Int]
        /// Acknowledged, needing correction or accepted: what counts as "has sent".
        var live: Int
    }

    func validate() throws {
        if missing && progress { throw ValidationError("--missing 与 --progress 只能选一个 (choose one)") }
    }

    func run() throws {
        let (configuration, store) = try gateway.openStore()
        let counts = try store.unitStatusCounts()
        let units = configuration.units.units.map { unit in
            let byStatus = counts[unit.name] ?? [:]
            return Unit(name: unit.name, aliases: unit.aliases, domains: unit.domains,
                        submissions: Dictionary(uniqueKeysWithValues: SubmissionStatus.allCases.map { ($0.rawValue, byStatus[$0] ?? 0) }),
                        live: byStatus.filter { $0.key.isLive }.values.reduce(0, +))
        }
        let shown = missing ? units.filter { $0.live == 0 } : units
        if json { print(try JSONOutput.string(shown)); return }
        if progress { print(Self.renderProgress(shown), terminator: ""); return }
        if missing && shown.isEmpty {
            print("名录中的 \(units.count) 个单位都已有有效推报。 Every unit has a live submission.")
            return
        }
        var table = TextTable(["单位", "简称", "邮箱域名", "有效推报"])
        for unit in shown {
            table.add([unit.name, unit.aliases.joined(separator: "、"), unit.domains.joined(separator: " "), unit.live > 0 ? "\(unit.live) 件" : "无"])
        }
        let summary = missing ? "尚无有效推报：\(shown.count) 个单位（名录共 \(units.count) 个）。"
                              : "名录共 \(units.count) 个单位，已有有效推报 \(units.filter { $0.live > 0 }.count) 个。"
        print(table.render() + summary)
    }

    static func renderProgress(_ units: [Unit]) -> String {
        var table = TextTable(["单位"] + SubmissionStatus.allCases.map(\.label) + ["有效"])
        var totals = [Int](repeating: 0, count: SubmissionStatus.allCases.count + 1)
        for unit in units {
            let cells = SubmissionStatus.allCases.map { unit.submissions[$0.rawValue] ?? 0 } + [unit.live]
            for (index, value) in cells.enumerated() { totals[index] += value }
            table.add([unit.name] + cells.map { $0 == 0 ? "·" : "\($0)" })
        }
        table.add(["合计"] + totals.map(String.init))
        return table.render() + "名录共 \(units.count) 个单位，其中 \(units.filter { $0.live == 0 }.count) 个尚无有效推报。\n"
    }
}
