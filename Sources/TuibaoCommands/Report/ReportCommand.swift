import ArgumentParser
import Foundation

/// `tuibao report`: how the campaign stands, for the office head — one self-contained HTML page
/// (`--html -o 报表.html`) or the same figures as JSON.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "活动报表：各状态总数、各单位报送情况、每日收件、问题、重复、待下载链接、回复。 The office report.",
        discussion: "--html 写出一个独立的网页（无需联网、无脚本，可直接打印为 A4 横向）；--json 输出同样的数字。")

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "写出 HTML 网页。 Write the HTML page.")
    var html = false

    @Option(name: .shortAndLong, help: "输出文件（默认 活动报表.html；- 为标准输出）。 Output file (- for standard output).")
    var output: String?

    @Flag(help: "输出 JSON。")
    var json = false

    func validate() throws {
        if html && json { throw ValidationError("--html 与 --json 只能选一个 (choose one)") }
        if !html && !json { throw ValidationError("请选择 --html（网页）或 --json (choose --html or --json)") }
        if output != nil && !html { throw ValidationError("-o 只用于 --html (-o goes with --html)") }
    }

    func run() throws {
        let (configuration, store) = try gateway.openStore()
        let report = try CampaignReport.make(configuration: configuration, store: store, now: StaffFormatting.now())
        if json { print(try JSONOutput.string(report)); return }
        let page = ReportPage.html(report)
        let path = output ?? "活动报表.html"
        if path == "-" { print(page, terminator: ""); return }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CommandFailure("-o 须是文件，\(path) 是文件夹 (-o must name a file)")
        }
        try Data(page.utf8).write(to: URL(fileURLWithPath: path))
        print("已写出活动报表 → \(path)（推报 \(report.totals.submissions) 件，\(report.units.filter { $0.live == 0 }.count) 个单位尚无有效推报）")
    }
}
