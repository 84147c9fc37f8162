import Foundation

public enum SpreadsheetError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAWorkbook(String)
    case partTooLarge(String)
    case malformedPart(String)
    /// A part whose inflated bytes fail the CRC-32 its ZIP header records.
    case damagedPart(String)

    public var description: String {
        switch self {
        case .notAWorkbook(let detail): "not an .xlsx workbook: \(detail)"
        case .partTooLarge(let part): "workbook part \(part) is larger than allowed"
        case .malformedPart(let detail): "malformed workbook XML: \(detail)"
        case .damagedPart(let part): "workbook part \(part) fails its CRC-32 check (the file is damaged)"
        }
    }
}

/// One sheet of a workbook: its tab name, whether it is hidden, its cells.
public struct WorkbookSheet: Sendable, Equatable {
    public var name: String
    public var isHidden: Bool
    public var table: DocumentTable

    public init(name: String, isHidden: Bool, table: DocumentTable) {
        self.name = name
        self.isHidden = isHidden
        self.table = table
    }
}

/// The sheets of an .xlsx workbook, by name (a returned scoring sheet), through the same bounded
/// reader as forms: parts capped, CRC-32 checked.
public enum WorkbookReader {
    public static func sheets(inWorkbookAt url: URL) throws -> [WorkbookSheet] {
        try SpreadsheetTableReader.sheets(inWorkbookAt: url)
    }
}

/// Reads the sheets of an .xlsx workbook into `DocumentTable`s: shared and inline strings,
/// numbers (dates shown as yyyy-MM-dd), and merged ranges as column spans and vertical merges.
enum SpreadsheetTableReader {
    /// No part of a form workbook comes near this; a bigger one is a bomb, not a form.
    static let maxPartBytes = 32 << 20

    static func tables(inWorkbookAt url: URL) throws -> [DocumentTable] {
        try sheets(inWorkbookAt: url).map(\.table)
    }

    static func sheets(inWorkbookAt url: URL) throws -> [WorkbookSheet] {
        let archive: ZipFile
        do {
            archive = try ZipFile(fileAt: url, maxEntries: ContainerLimits.default.maxEntries)
        } catch {
            throw SpreadsheetError.notAWorkbook("\(error)")
        }
        guard let workbook = try part("xl/workbook.xml", in: archive).map(SpreadsheetXMLElement.parse) else {
            throw SpreadsheetError.notAWorkbook("no xl/workbook.xml")
        }
        let targets = try relationshipTargets(in: archive)
        let sharedStrings = try part("xl/sharedStrings.xml", in: archive)
            .map { try SpreadsheetSharedStrings.read(SpreadsheetXMLElement.parse($0)) } ?? []
        let styles = try part("xl/styles.xml", in: archive)
            .map { try SpreadsheetCellStyles(SpreadsheetXMLElement.parse($0)) } ?? SpreadsheetCellStyles()
        let uses1904 = ["1", "true"].contains(workbook.child("workbookPr")?.attribute("date1904") ?? "")

        var sheets: [WorkbookSheet] = []
        for sheet in workbook.child("sheets")?.children("sheet") ?? [] {
            guard let id = sheet.attribute("id"), let target = targets[id],
                  let data = try part(target, in: archive) else { continue }
            let context = SpreadsheetCellContext(sharedStrings: sharedStrings, styles: styles, uses1904Dates: uses1904)
            sheets.append(WorkbookSheet(name: sheet.attribute("name") ?? "", isHidden: (sheet.attribute("state") ?? "visible") != "visible",
                                        table: SpreadsheetSheetGrid(try SpreadsheetXMLElement.parse(data), context: context).table))
        }
        return sheets
    }

    /// A part's bytes, refused past `maxPartBytes` whatever its header declares.
    private static func part(_ path: String, in archive: ZipFile) throws -> Data? {
        guard let entry = archive.entry(named: path) else { return nil }
        guard entry.uncompressedSize <= UInt64(maxPartBytes) else { throw SpreadsheetError.partTooLarge(path) }
        var data = Data()
        do {
            try archive.read(entry, cap: UInt64(maxPartBytes)) { data.append($0) }
        } catch ZipFile.Failure.overCap {
            throw SpreadsheetError.partTooLarge(path)
        } catch ZipFile.Failure.checksumMismatch {
            throw SpreadsheetError.damagedPart(path)
        } catch {
            throw SpreadsheetError.notAWorkbook("cannot read \(path): \(error)")
        }
        return data
    }

    /// Relationship id → part path inside the package ("rId1" → "xl/worksheets/sheet1.xml").
    private static func relationshipTargets(in archive: ZipFile) throws -> [String: String] {
        guard let data = try part("xl/_rels/workbook.xml.rels", in: archive) else { return [:] }
        var targets: [String: String] = [:]
        for relationship in try SpreadsheetXMLElement.parse(data).children("Relationship") {
            guard let id = relationship.attribute("Id"), let target = relationship.attribute("Target") else { continue }
            targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        return targets
    }
}

/// The shared string table; rich-text runs joined, phonetic guides (rPh) left out.
enum SpreadsheetSharedStrings {
    static func read(_ root: SpreadsheetXMLElement) -> [String] {
        root.children("si").map(text(of:))
    }

    static func text(of item: SpreadsheetXMLElement) -> String {
        if let plain = item.child("t") { return plain.text }
        return item.children("r").compactMap { $0.child("t")?.text }.joined()
    }
}

/// Which style indexes show numbers as dates, so 出生年月 typed as a date reads as one.
struct SpreadsheetCellStyles {
    private var dateStyles: Set<Int> = []

    init() {}

    init(_ root: SpreadsheetXMLElement) {
        var customFormats: [Int: String] = [:]
        for format in root.child("numFmts")?.children("numFmt") ?? [] {
            if let id = format.attribute("numFmtId").flatMap(Int.init), let code = format.attribute("formatCode") {
                customFormats[id] = code
            }
        }
        for (index, xf) in (root.child("cellXfs")?.children("xf") ?? []).enumerated() {
            let formatID = xf.attribute("numFmtId").flatMap(Int.init) ?? 0
            if Self.isDateFormat(formatID, code: customFormats[formatID]) { dateStyles.insert(index) }
        }
    }

    func isDate(style: Int) -> Bool { dateStyles.contains(style) }

    private static func isDateFormat(_ id: Int, code: String?) -> Bool {
        // Built-in date formats, including the CJK ones (yyyy"年"m"月" …).
        let builtIn: [ClosedRange<Int>] = [14...22, 27...36, 45...47, 50...58]
        if code == nil { return builtIn.contains { $0.contains(id) } }
        var visible = ""
        var inQuotes = false
        var inBrackets = false
        for character in code ?? "" {
            switch character {
            case "\"": inQuotes.toggle()
            case "[" where !inQuotes: inBrackets = true
            case "]" where !inQuotes: inBrackets = false
            default: if !inQuotes && !inBrackets { visible.append(character) }
            }
        }
        return visible.lowercased().contains { "ymd".contains($0) }
    }
}

struct SpreadsheetCellContext {
    var sharedStrings: [String]
    var styles: SpreadsheetCellStyles
    var uses1904Dates: Bool

    /// The text a person sees in the cell.
    func text(of cell: SpreadsheetXMLElement) -> String {
        let value = cell.child("v")?.text ?? ""
        switch cell.attribute("t") ?? "n" {
        case "s": return Int(value).flatMap { sharedStrings.indices.contains($0) ? sharedStrings[$0] : nil } ?? ""
        case "inlineStr": return cell.child("is").map(SpreadsheetSharedStrings.text(of:)) ?? ""
        case "b": return value == "1" ? "TRUE" : "FALSE"
        case "n":
            guard let number = Double(value) else { return value }
            if let style = cell.attribute("s").flatMap(Int.init), styles.isDate(style: style) {
                return dateText(serial: number) ?? value
            }
            return numberText(value, number)
        default: return value
        }
    }

    /// Integers without exponent or ".0" (phone numbers are often stored as numbers).
    private func numberText(_ raw: String, _ number: Double) -> String {
        if number.rounded() == number, abs(number) < 1e15, raw.contains(where: { "eE.".contains($0) }) {
            return String(Int64(number))
        }
        return raw
    }

    private func dateText(serial: Double) -> String? {
        guard serial >= 1, serial < 2_958_466 else { return nil }
        let daysFrom1970 = Int(serial.rounded(.down)) - (uses1904Dates ? 24107 : 25569)
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        let parts = calendar.dateComponents([.year, .month, .day],
                                            from: Date(timeIntervalSince1970: Double(daysFrom1970) * 86_400))
        guard let year = parts.year, let month = parts.month, let day = parts.day else { return nil }
        return String(format: "%04d-%02d-%02d", year, month, day)
    }
}

/// One worksheet laid out as table rows: merged ranges become one cell with a column span, and
/// the rows under a vertical merge get a `continuesVerticalMerge` cell. Empty rows and the empty
/// cells at the end of a row are dropped (a spreadsheet has no table border to keep them).
struct SpreadsheetSheetGrid {
    let table: DocumentTable

    private struct Merge {
        var top: Int, left: Int, bottom: Int, right: Int
    }

    init(_ sheet: SpreadsheetXMLElement, context: SpreadsheetCellContext) {
        var texts: [Int: [Int: String]] = [:]
        var rowNumber = 0
        for row in sheet.child("sheetData")?.children("row") ?? [] {
            rowNumber = row.attribute("r").flatMap(Int.init) ?? rowNumber + 1
            var column = 0
            for cell in row.children("c") {
                column = cell.attribute("r").flatMap { Self.reference($0)?.column } ?? column + 1
                let text = context.text(of: cell).trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { texts[rowNumber, default: [:]][column] = text }
            }
        }
        let merges = (sheet.child("mergeCells")?.children("mergeCell") ?? []).compactMap { element -> Merge? in
            guard let range = element.attribute("ref") else { return nil }
            let corners = range.split(separator: ":").compactMap { Self.reference(String($0)) }
            guard corners.count == 2 else { return nil }
            return Merge(top: min(corners[0].row, corners[1].row), left: min(corners[0].column, corners[1].column),
                         bottom: max(corners[0].row, corners[1].row), right: max(corners[0].column, corners[1].column))
        }

        var rows: [[TableCell]] = []
        for row in texts.keys.sorted() {
            let lastFilled = texts[row]?.keys.max() ?? 0
            var cells: [TableCell] = []
            var column = 1
            while column <= lastFilled {
                if let merge = merges.first(where: { $0.top...$0.bottom ~= row && $0.left...$0.right ~= column }) {
                    let span = merge.right - merge.left + 1
                    if column == merge.left {
                        cells.append(TableCell(text: row == merge.top ? texts[row]?[column] ?? "" : "",
                                               columnSpan: span, continuesVerticalMerge: row != merge.top))
                    }
                    column = merge.right + 1
                } else {
                    cells.append(TableCell(text: texts[row]?[column] ?? ""))
                    column += 1
                }
            }
            rows.append(cells)
        }
        table = DocumentTable(rows: rows)
    }

    /// "AB12" → (row 12, column 28).
    static func reference(_ text: String) -> (row: Int, column: Int)? {
        var column = 0
        var digits = ""
        for character in text.uppercased() {
            if let ascii = character.asciiValue, (65...90).contains(ascii), digits.isEmpty {
                column = column * 26 + Int(ascii - 64)
                guard column < 1 << 20 else { return nil }
            } else if character.isASCII, character.isNumber {
                digits.append(character)
            } else {
                return nil
            }
        }
        guard column > 0, let row = Int(digits), row > 0 else { return nil }
        return (row, column)
    }
}
