import ArgumentParser
import Foundation
import Store
import ZIPFoundation

/// `tuibao export --format csv|xlsx`: the submission list for the review committee.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "导出推报清单（CSV 或 Excel）。 Export the submission list as CSV or .xlsx.",
        discussion: "CSV 为带 BOM 的 UTF-8，Excel 和 WPS 可直接打开；xlsx 为标准 Office Open XML 工作簿。")

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, xlsx }

    @OptionGroup var gateway: GatewayOptions

    @Option(help: "csv 或 xlsx。")
    var format: Format = .csv

    @Option(name: .shortAndLong, help: "输出文件（默认 推报清单.csv / 推报清单.xlsx）。 Output file.")
    var output: String?

    @Option(help: "只导出某一状态。")
    var status: String?

    func validate() throws {
        if let status, SubmissionStatus(argument: status) == nil { throw ValidationError("未知状态 \(status)") }
    }

    func run() throws {
        let (_, store) = try gateway.openStore()
        let rows = try store.submissions(QueueFilter(status: status.flatMap(SubmissionStatus.init(argument:))))
        let table = SubmissionExport.table(rows)
        let path = output ?? "推报清单.\(format.rawValue)"
        let url = URL(fileURLWithPath: path)
        switch format {
        case .csv: try SubmissionExport.csv(table).write(to: url)
        case .xlsx: try SubmissionExport.writeXLSX(table, to: url)
        }
        print("已导出 \(rows.count) 件 → \(path)")
    }
}

enum SubmissionExport {
    static let headers = ["受理编号", "单位", "标题", "发件人", "发件邮箱", "状态", "版本数", "材料数", "错误", "警告", "首次收到", "最后更新",
                          "推报对象", "推报类型"]

    enum Cell: Equatable {
        case text(String)
        case number(Int)
    }

    static func table(_ rows: [SubmissionSummary]) -> [[Cell]] {
        [headers.map(Cell.text)] + rows.map { row in
            [.text(row.trackingNumber), .text(row.unitName ?? ""), .text(row.title ?? ""), .text(row.senderName ?? ""),
             .text(row.senderAddress), .text(row.status.label), .number(row.versions), .number(row.files),
             .number(row.errors), .number(row.warnings), .text(StaffFormatting.date(row.createdAt)),
             .text(StaffFormatting.date(row.updatedAt)), .text(row.nominee ?? ""), .text(row.category ?? "")]
        }
    }

    /// RFC 4180 with a UTF-8 byte order mark and CRLF, which Excel and WPS need to read Chinese.
    /// A cell starting with = + - @ is prefixed with ' so a spreadsheet never runs it as a formula.
    static func csv(_ table: [[Cell]]) -> Data {
        var text = "\u{FEFF}"
        for row in table {
            text += row.map { cell -> String in
                switch cell {
                case .number(let value): return String(value)
                case .text(let value):
                    let safe = neutralized(value)
                    let needsQuotes = safe.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
                    return needsQuotes ? "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : safe
                }
            }.joined(separator: ",") + "\r\n"
        }
        return Data(text.utf8)
    }

    static func neutralized(_ value: String) -> String {
        guard let first = value.first, "=+-@\t".contains(first) else { return value }
        return "'" + value
    }

    /// A minimal, valid Office Open XML workbook with one sheet of inline strings and numbers.
    static func writeXLSX(_ table: [[Cell]], to url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        let parts: [(String, String)] = [
            ("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            </Types>
            """),
            ("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """),
            ("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="推报清单" sheetId="1" r:id="rId1"/></sheets></workbook>
            """),
            ("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            </Relationships>
            """),
            ("xl/styles.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>\
            <fills count="1"><fill><patternFill patternType="none"/></fill></fills>\
            <borders count="1"><border/></borders>\
            <cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="1"><xf xfId="0"/></cellXfs>\
            <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
            """),
            ("xl/worksheets/sheet1.xml", sheetXML(table)),
        ]
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    static func sheetXML(_ table: [[Cell]]) -> String {
        var xml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
        """
        for (rowIndex, row) in table.enumerated() {
            xml += "<row r=\"\(rowIndex + 1)\">"
            for (columnIndex, cell) in row.enumerated() {
                let reference = columnName(columnIndex) + String(rowIndex + 1)
                switch cell {
                case .number(let value): xml += "<c r=\"\(reference)\"><v>\(value)</v></c>"
                case .text(let value): xml += "<c r=\"\(reference)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escaped(value))</t></is></c>"
                }
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    static func columnName(_ index: Int) -> String {
        var index = index
        var name = ""
        repeat {
            name = String(UnicodeScalar(UInt8(65 + index % 26))) + name
            index = index / 26 - 1
        } while index >= 0
        return name
    }

    /// XML text: the five entities, and characters XML 1.0 forbids dropped.
    static func escaped(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\t", "\n", "\r": output.unicodeScalars.append(scalar)
            default: if scalar.value >= 0x20 && !(0xFFFE...0xFFFF).contains(scalar.value) { output.unicodeScalars.append(scalar) }
            }
        }
        return output
    }
}
