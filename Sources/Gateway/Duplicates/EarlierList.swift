import Foundation
import Materials

/// One row of an earlier campaign's list (`shared/domain.md`: id, unit, category, nominee, title,
/// submitted_on, file, sha256 — or the Chinese headers 编号, 单位, 类型, 名称, 标题, 日期, 文件, sha256).
public struct EarlierListRow: Sendable, Hashable {
    /// The line (CSV) or row (.xlsx) it came from, for reports.
    public var line: Int
    public var id: String
    public var unit: String
    public var category: String?
    public var nominee: String?
    public var title: String
    public var submittedOn: String?
    public var file: String?
    public var sha256: String?
}

/// A row that could not be read, with its line number and the reason in Chinese.
public struct EarlierListProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "第 \(line) 行：\(message)" }
}

/// Reads the list: CSV (UTF-8 with or without BOM, or GB18030 as Excel on Chinese Windows saves
/// it; quoted fields, CRLF) or .xlsx (the first sheet).
public enum EarlierList {
    static let headerNames: [String: String] = [
        "id": "id", "编号": "id", "unit": "unit", "单位": "unit", "category": "category", "类型": "category",
        "nominee": "nominee", "名称": "nominee", "title": "title", "标题": "title", "submitted_on": "submittedOn",
        "日期": "submittedOn", "file": "file", "文件": "file", "sha256": "sha256",
    ]

    public static func read(fileAt url: URL) throws -> (rows: [EarlierListRow], problems: [EarlierListProblem]) {
        let table: [(line: Int, cells: [String])]
        if url.pathExtension.lowercased() == "xlsx" {
            let sheets = try FormReader.read(xlsxAt: url)
            table = (sheets.first?.rows ?? []).enumerated().map { ($0.offset + 1, $0.element.map(\.text)) }
        } else {
            let text = PlainTextReader.decode(try Data(contentsOf: url)).text
            table = CSVTable.parse(text)
        }
        guard let header = table.first else { return ([], [EarlierListProblem(line: 1, message: "文件为空")]) }
        let columns = header.cells.map { headerNames[$0.trimmingCharacters(in: .whitespaces).lowercased()] }
        for required in ["id", "unit", "title"] where !columns.contains(required) {
            return ([], [EarlierListProblem(line: header.line, message: "缺少列 \(required)（表头应为 id,unit,category,nominee,title,submitted_on,file,sha256 或 编号,单位,类型,名称,标题,日期,文件,sha256）")])
        }
        var rows: [EarlierListRow] = []
        var problems: [EarlierListProblem] = []
        for (line, cells) in table.dropFirst() where !cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            var values: [String: String] = [:]
            for (index, column) in columns.enumerated() {
                guard let column, index < cells.count else { continue }
                let value = cells[index].trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty { values[column] = value }
            }
            switch row(values, line: line) {
            case .success(let row): rows.append(row)
            case .failure(let problem): problems.append(problem)
            }
        }
        return (rows, problems)
    }

    static func row(_ values: [String: String], line: Int) -> Result<EarlierListRow, EarlierListProblem> {
        func fail(_ message: String) -> Result<EarlierListRow, EarlierListProblem> { .failure(EarlierListProblem(line: line, message: message)) }
        guard let id = values["id"] else { return fail("缺少编号 (id)") }
        guard let unit = values["unit"] else { return fail("缺少单位 (unit)") }
        guard let title = values["title"] else { return fail("缺少标题 (title)") }
        var category = values["category"]
        switch category?.lowercased() {
        case nil: break
        case "团队", "team": category = "团队"
        case "个人", "individual": category = "个人"
        default: return fail("类型只能是“团队”或“个人”（\(category ?? "")）")
        }
        var date: String?
        if let raw = values["submittedOn"] {
            guard let parsed = Self.date(raw) else { return fail("日期无法识别（\(raw)），请用 2018-03-12 的格式") }
            date = parsed
        }
        if let sha = values["sha256"], !(sha.count == 64 && sha.allSatisfy(\.isHexDigit)) {
            return fail("sha256 应为 64 位十六进制（\(sha)）")
        }
        return .success(EarlierListRow(line: line, id: id, unit: unit, category: category, nominee: values["nominee"],
                                       title: title, submittedOn: date, file: values["file"], sha256: values["sha256"]?.lowercased()))
    }

    /// 2018-03-12, 2018/3/12, 2018.3.12, 2018年3月12日, or an Excel serial day number → YYYY-MM-DD.
    static func date(_ text: String) -> String? {
        if let serial = Double(text), serial > 20_000, serial < 80_000 {
            let date = Date(timeIntervalSince1970: (serial - 25_569) * 86_400)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        }
        let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count == 3, (1950...2100).contains(numbers[0]), (1...12).contains(numbers[1]), (1...31).contains(numbers[2]) else {
            return nil
        }
        return String(format: "%04d-%02d-%02d", numbers[0], numbers[1], numbers[2])
    }
}

/// RFC 4180 CSV: quoted fields with doubled quotes and line breaks inside, CRLF or LF.
enum CSVTable {
    static func parse(_ text: String) -> [(line: Int, cells: [String])] {
        var rows: [(Int, [String])] = []
        var cells: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var rowStart = 1
        var characters = Array(text.unicodeScalars)
        if characters.first == "\u{FEFF}" { characters.removeFirst() }
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if quoted {
                if character == "\"" {
                    if index + 1 < characters.count && characters[index + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" { line += 1 }
                    field.unicodeScalars.append(character)
                }
            } else if character == "\"" && field.isEmpty {
                quoted = true
            } else if character == "," {
                cells.append(field)
                field = ""
            } else if character == "\n" || character == "\r" {
                if character == "\r" && index + 1 < characters.count && characters[index + 1] == "\n" { index += 1 }
                cells.append(field)
                rows.append((rowStart, cells))
                cells = []
                field = ""
                line += 1
                rowStart = line
            } else {
                field.unicodeScalars.append(character)
            }
            index += 1
        }
        if !field.isEmpty || !cells.isEmpty {
            cells.append(field)
            rows.append((rowStart, cells))
        }
        return rows
    }
}
