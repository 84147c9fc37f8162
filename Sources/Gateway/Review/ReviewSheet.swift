import Foundation
import Intake
import Materials

/// The scoring sheet (评分表) a reviewer is mailed and mails back: one row per deed, a cell per
/// criterion and one for a comment, and a hidden sheet `tuibao` holding the signed token. The
/// one place its layout is decided, for writing and for reading back.
struct ReviewSheet {
    static let sheetName = "评分表"
    static let tokenSheetName = "tuibao"
    static let trackingHeader = "受理编号"
    static let fixedHeaders = [trackingHeader, "事迹标题", "单位", "被推荐人", "类别", "材料"]
    static let commentHeader = "评语（选填）"
    /// Beyond this a mailed-back workbook is not a scoring sheet (ours are a few KB).
    static let maxReturnedBytes: Int64 = 5 << 20

    var criteria: [ReviewCriterion]

    static func criterionHeader(_ criterion: ReviewCriterion) -> String { "\(criterion.name)（1–10）" }

    // MARK: Writing

    struct Line {
        var deed: ReviewDeed
        /// The deed's materials as the sheet names them (the folder in the materials archive).
        var materials: String
    }

    func workbook(_ lines: [Line], token: String, roundName: String, reviewer: Reviewer, timeZone: TimeZone) throws -> Data {
        var columns = Self.fixedHeaders.map { WorkbookWriter.Column(header: $0, wraps: $0 == "事迹标题" || $0 == "材料") }
        columns += criteria.map { WorkbookWriter.Column(header: Self.criterionHeader($0)) }
        columns.append(WorkbookWriter.Column(header: Self.commentHeader, wraps: true))
        let rows: [[WorkbookWriter.Cell]] = lines.map { line in
            let fixed: [String?] = [line.deed.trackingNumber, line.deed.title, line.deed.unit, line.deed.nominee, line.deed.category, line.materials]
            return fixed.map { $0.map(WorkbookWriter.Cell.text) ?? .empty } + Array(repeating: .empty, count: criteria.count + 1)
        }
        let scoreColumns = Array(Self.fixedHeaders.count..<(Self.fixedHeaders.count + criteria.count))
        let hidden = [["token", token], ["round", roundName], ["reviewer", reviewer.address],
                      ["说明", "此工作表标明评审轮次和评审专家，请勿修改或删除。"]]
        return try WorkbookWriter(sheetName: Self.sheetName, columns: columns, rows: rows, timeZone: timeZone,
                                  hiddenSheet: (Self.tokenSheetName, hidden),
                                  numberCheck: .init(columns: scoreColumns, lowest: ReviewScale.lowest, highest: ReviewScale.highest,
                                                     message: "请填写 1 到 10 之间的分数（可带小数）")).data()
    }

    // MARK: Reading

    /// A returned workbook as read: its token (as text) and the rows of the scoring table.
    struct Returned {
        var token: String
        var rows: [Row]
        /// The criteria the table has no column for.
        var missingColumns: [String]
    }

    struct Row {
        /// The spreadsheet row number, for the receipt.
        var number: Int
        var trackingNumber: String
        /// Criterion name → the cell's text ("" when empty).
        var cells: [String: String]
        var comment: String?
    }

    /// nil when the workbook has no token sheet: not a scoring sheet of ours.
    func read(_ sheets: [WorkbookSheet]) -> Returned? {
        guard let tokenSheet = sheets.first(where: { $0.name == Self.tokenSheetName }),
              let tokenRow = tokenSheet.table.rows.first(where: { $0.first?.text == "token" }), tokenRow.count >= 2,
              tokenRow[1].text.hasPrefix(ReviewToken.prefix) else { return nil }
        var returned = Returned(token: tokenRow[1].text, rows: [], missingColumns: criteria.map(\.name))
        guard let table = sheets.first(where: { $0.name == Self.sheetName }) ?? sheets.first(where: { !$0.isHidden }),
              let headerIndex = table.table.rows.firstIndex(where: { $0.first?.text == Self.trackingHeader }) else { return returned }
        let header = table.table.rows[headerIndex].map(\.text)
        var columnOf: [String: Int] = [:]
        for criterion in criteria {
            columnOf[criterion.name] = header.firstIndex { $0 == Self.criterionHeader(criterion) || $0.prefix { $0 != "（" && $0 != "(" } == criterion.name }
        }
        returned.missingColumns = criteria.map(\.name).filter { columnOf[$0] == nil }
        let commentColumn = header.firstIndex { $0.hasPrefix("评语") }
        for (offset, row) in table.table.rows.dropFirst(headerIndex + 1).enumerated() {
            let tracking = row.first?.text.trimmingCharacters(in: .whitespaces) ?? ""
            guard !tracking.isEmpty else { continue }
            func text(_ column: Int?) -> String {
                guard let column, column < row.count else { return "" }
                return row[column].text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            var cells: [String: String] = [:]
            for criterion in criteria where columnOf[criterion.name] != nil { cells[criterion.name] = text(columnOf[criterion.name]) }
            let comment = text(commentColumn)
            // Rows without text are skipped by the reader: the number is the header's plus the offset
            // only while none is; close enough for a receipt, which also names the tracking number.
            returned.rows.append(Row(number: headerIndex + offset + 2, trackingNumber: tracking, cells: cells,
                                     comment: comment.isEmpty ? nil : comment))
        }
        return returned
    }

    /// A score cell as typed: a number within 1–10 (full-width digits and a trailing 分 allowed),
    /// or why not.
    enum Cell: Equatable {
        case empty
        case value(Double)
        case outOfRange(String)
        case unreadable(String)
    }

    static func cell(_ text: String) -> Cell {
        var normalized = String(text.unicodeScalars.map { scalar -> Character in
            switch scalar.value {
            case 0xFF10...0xFF19: Character(UnicodeScalar(scalar.value - 0xFF10 + 0x30)!)
            case 0xFF0E, 0x3002: "."
            default: Character(scalar)
            }
        }).trimmingCharacters(in: .whitespaces)
        if normalized.isEmpty { return .empty }
        if normalized.hasSuffix("分") { normalized = String(normalized.dropLast()).trimmingCharacters(in: .whitespaces) }
        guard normalized.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }), let value = Double(normalized), value.isFinite else {
            return .unreadable(text)
        }
        return ReviewScale.contains(value) ? .value(value) : .outOfRange(text)
    }
}
