import ArgumentParser
import Foundation
import Store

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
