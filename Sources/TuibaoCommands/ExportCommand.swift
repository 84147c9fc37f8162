import ArgumentParser
import Foundation
import Gateway
import Store

/// `tuibao export --format csv|xlsx`: the submission list for the office and the review committee.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "导出推报清单（CSV 或 Excel）。 Export the submission list as CSV or .xlsx.",
        discussion: """
        每件推报一行：受理编号、单位、推报类型、推报对象、标题、状态、问题、联系人、电话、电子邮箱、收到时间、最后更新、备注。时间为活动时区（配置 timezone，默认北京时间）。
        xlsx：表头加粗并冻结，可筛选，列宽按内容，时间为日期格式。CSV 为带 BOM 的 UTF-8，Excel 和 WPS 可直接打开。
        One row per nomination; times in the campaign's zone (timezone, default Asia/Shanghai). xlsx: bold frozen header, autofilter, fitted widths, real dates.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, xlsx }

    @OptionGroup var gateway: GatewayOptions

    @Option(help: "csv 或 xlsx。")
    var format: Format = .csv

    @Option(name: .shortAndLong, help: "输出文件（默认 推报清单.csv / 推报清单.xlsx）。 Output file.")
    var output: String?

    @Option(help: "只导出某一状态 (acknowledged, needs-correction, already-submitted, accepted, rejected, 或中文状态名).")
    var status: String?

    @Option(help: "只导出某一单位（名称的一部分，或登记的简称）。 Unit name contains this, or a registered alias.")
    var unit: String?

    @Option(help: "只导出此日期以来收到的 (YYYY-MM-DD, 活动时区). Received on or after this day.")
    var since: String?

    func validate() throws {
        if let status, SubmissionStatus(argument: status) == nil {
            throw ValidationError("未知状态 (unknown status) \(status)")
        }
        if let since, StaffFormatting.parseDay(since) == nil {
            throw ValidationError("日期格式应为 YYYY-MM-DD (date must be YYYY-MM-DD): \(since)")
        }
    }

    func run() throws {
        // Opening the store sets the campaign's clock: --since is a day in its zone, and every
        // time in the list is its wall clock.
        let (configuration, store) = try gateway.openStore()
        let filter = NominationList.Filter(status: status.flatMap(SubmissionStatus.init(argument:)), unit: unit,
                                           since: try since.map(StaffFormatting.requireDay))
        let rows = try NominationList(store: store, units: configuration.units).nominations(filter)
        let export = SubmissionExport(clock: StaffFormatting.clock)
        let path = output ?? "推报清单.\(format.rawValue)"
        let data: Data
        switch format {
        case .csv: data = export.csv(rows)
        case .xlsx: data = try export.xlsx(rows)
        }
        // `-o -`: the list on standard output (for a pipe), the count on standard error.
        if path == "-" {
            FileHandle.standardOutput.write(data)
            FileHandle.standardError.write(Data("已导出 \(rows.count) 件 → 标准输出 (standard output)\n".utf8))
            return
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CommandFailure("-o 须是文件，\(path) 是文件夹 (-o must name a file, e.g. \(path)/推报清单.\(format.rawValue))")
        }
        try data.write(to: URL(fileURLWithPath: path))
        print("已导出 \(rows.count) 件 → \(path)")
    }
}

/// The list's columns and cells, shared by the CSV and the workbook.
struct SubmissionExport {
    /// The campaign's: times are its wall clock (in the workbook as real dates).
    let clock: StaffClock

    static let columns: [WorkbookWriter.Column] = [
        .init(header: "受理编号"), .init(header: "单位"), .init(header: "推报类型"), .init(header: "推报对象"),
        .init(header: "标题"), .init(header: "状态"), .init(header: "问题", wraps: true), .init(header: "联系人"),
        .init(header: "电话"), .init(header: "电子邮箱"), .init(header: "收到时间"), .init(header: "最后更新"),
        .init(header: "备注", wraps: true),
    ]
    static var headers: [String] { columns.map(\.header) }
    static let sheetName = "推报清单"

    func cells(_ row: ListedNomination) -> [WorkbookWriter.Cell] {
        let summary = row.summary
        func text(_ value: String?) -> WorkbookWriter.Cell {
            guard let value, !value.isEmpty else { return .empty }
            return .text(value)
        }
        let problems = row.problems.map { "【\($0.severity.label)】\($0.message)" }
        let notes = row.notes.map { "\(clock.minute($0.at)) \($0.actor)：\($0.text)" }
        return [.text(summary.trackingNumber), text(row.unit), text(summary.category), text(summary.nominee),
                text(summary.title), .text(summary.status.label), text(problems.joined(separator: "\n")),
                text(row.contact), text(row.phone), text(row.email), .date(summary.createdAt), .date(summary.updatedAt),
                text(notes.joined(separator: "\n"))]
    }

    func xlsx(_ rows: [ListedNomination]) throws -> Data {
        try WorkbookWriter(sheetName: Self.sheetName, columns: Self.columns, rows: rows.map(cells), timeZone: clock.zone).data()
    }

    /// RFC 4180 with a UTF-8 byte order mark and CRLF, which Excel and WPS need to read Chinese;
    /// times as `yyyy-mm-dd hh:mm`. A cell starting with = + - @ (or a tab or CR) is prefixed with
    /// ' so a spreadsheet never runs it as a formula.
    func csv(_ rows: [ListedNomination]) -> Data {
        var text = "\u{FEFF}"
        for row in [Self.headers.map(WorkbookWriter.Cell.text)] + rows.map(cells) {
            text += row.map { cell -> String in
                let value: String
                switch cell {
                case .empty: return ""
                case .number(let number): return WorkbookWriter.numberText(number)
                case .date(let date): return clock.minute(date)
                case .text(let shown): value = Self.neutralized(shown)
                }
                let needsQuotes = value.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
                return needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
            }.joined(separator: ",") + "\r\n"
        }
        return Data(text.utf8)
    }

    static func neutralized(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }
}
