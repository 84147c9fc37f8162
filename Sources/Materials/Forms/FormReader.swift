import Foundation

/// Reads the nomination form (附件1 推报表) from the tables of a document, an .xlsx workbook or
/// pasted text. Label and value sit side by side (2- or 4-column rows), in one cell ("姓名：张三"),
/// or the value fills the row under its label.
public enum FormReader {
    /// Whether an attachment is the form: by its name, or by a table carrying at least three labels.
    public static func looksLikeForm(fileName: String?, tables: [DocumentTable]) -> Bool {
        if let fileName {
            let name = fileName.filter { !$0.isWhitespace }
            if name.contains("推报表") || name.contains("附件1") || name.contains("附件一") { return true }
        }
        return tables.contains { labelledFields(in: $0).count >= 3 }
    }

    /// The form's fields, the first filled value of each label winning; nil when no label is found.
    public static func read(tables: [DocumentTable]) -> NominationForm? {
        var collected = CollectedValues()
        for table in tables { collect(from: table, into: &collected) }
        guard collected.foundAny else { return nil }
        return collected.form
    }

    /// A form pasted into the mail body as lines ("姓名：张三"), or copied from a table (cells
    /// separated by tabs).
    public static func read(lines: [String]) -> NominationForm? {
        let rows = lines.compactMap { line -> [TableCell]? in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false)
                .map { TableCell(text: $0.trimmingCharacters(in: .whitespaces)) }
            return cells.allSatisfy({ $0.text.isEmpty }) ? nil : cells
        }
        return read(tables: [DocumentTable(rows: rows)])
    }

    /// The sheets of an .xlsx workbook as tables, for `read(tables:)` and `looksLikeForm`.
    public static func read(xlsxAt url: URL) throws -> [DocumentTable] {
        try SpreadsheetTableReader.tables(inWorkbookAt: url)
    }

    // MARK: - Walking a table

    private struct CollectedValues {
        var raw: [NominationForm.Field: String] = [:]
        var foundAny = false

        mutating func record(_ field: NominationForm.Field, _ value: String) {
            foundAny = true
            let existing = raw[field]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if existing.isEmpty { raw[field] = value }
        }

        var form: NominationForm {
            var form = NominationForm()
            let line = { (field: NominationForm.Field) in raw[field].flatMap(FormValueParsing.cleanedLine) }
            form.unit = line(.unit)
            form.category = raw[.category].flatMap(FormValueParsing.category(from:))
            form.nominee = line(.nominee)
            form.gender = line(.gender)
            form.birthDate = raw[.birthDate].flatMap(FormValueParsing.yearMonth(from:))
            form.title = line(.title)
            form.deedTitle = line(.deedTitle)
            form.summary = raw[.summary].flatMap(FormValueParsing.cleanedText)
            form.contact = line(.contact)
            form.phone = line(.phone)
            form.email = line(.email)
            return form
        }
    }

    /// Cells that take part in the layout: the lower parts of vertical merges repeat nothing.
    private static func layoutCells(_ row: [TableCell]) -> [String] {
        row.filter { !$0.continuesVerticalMerge }.map(\.text)
    }

    private static func isLabelCell(_ text: String) -> Bool {
        FormLabel.field(forLabel: text) != nil || FormLabel.labelledPairs(in: text) != nil
    }

    private static func labelledFields(in table: DocumentTable) -> Set<NominationForm.Field> {
        var collected = CollectedValues()
        collect(from: table, into: &collected)
        return Set(collected.raw.keys)
    }

    private static func collect(from table: DocumentTable, into collected: inout CollectedValues) {
        let rows = table.rows.map(layoutCells)
        var rowIndex = 0
        while rowIndex < rows.count {
            let cells = rows[rowIndex]
            var consumedRows = 0
            var index = 0
            while index < cells.count {
                let text = cells[index]
                if let field = FormLabel.field(forLabel: text) {
                    var next = index + 1
                    var values: [String] = []
                    // The value is the next cell; 推报类型 may spread its boxes over several cells.
                    while next < cells.count, !isLabelCell(cells[next]) {
                        values.append(cells[next])
                        next += 1
                        if field != .category { break }
                    }
                    if next == index + 1, next == cells.count {
                        let (value, used) = valueBelow(field, rows: rows, after: rowIndex)
                        values = [value]
                        consumedRows = max(consumedRows, used)
                    }
                    collected.record(field, values.joined(separator: " "))
                    index = next
                } else if let pairs = lineSeparatedPairs(in: text) {
                    for (offset, (field, value)) in pairs.enumerated() {
                        let isLastOfRow = offset == pairs.count - 1 && index == cells.count - 1
                        if isLastOfRow, value.trimmingCharacters(in: .whitespaces).isEmpty {
                            let (below, used) = valueBelow(field, rows: rows, after: rowIndex)
                            collected.record(field, below)
                            consumedRows = max(consumedRows, used)
                        } else {
                            collected.record(field, value)
                        }
                    }
                    index += 1
                } else {
                    index += 1
                }
            }
            rowIndex += 1 + consumedRows
        }
    }

    /// A cell may hold several "label：value" lines.
    private static func lineSeparatedPairs(in text: String) -> [(NominationForm.Field, String)]? {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard let firstPairs = lines.first.flatMap(FormLabel.labelledPairs(in:)) else { return nil }
        var pairs = firstPairs
        for line in lines.dropFirst() {
            if let more = FormLabel.labelledPairs(in: line) {
                pairs.append(contentsOf: more)
            } else if let last = pairs.popLast() {
                // A continuation line of the previous value (a long 事迹简介).
                pairs.append((last.0, last.1 + "\n" + line))
            }
        }
        return pairs
    }

    /// For a label alone at the end of its row, the value written in the row(s) under it: rows with
    /// exactly one filled cell and no label. 事迹简介 may run over several such rows.
    private static func valueBelow(_ field: NominationForm.Field, rows: [[String]], after rowIndex: Int) -> (String, Int) {
        var parts: [String] = []
        var next = rowIndex + 1
        while next < rows.count {
            let filled = rows[next].filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            guard filled.count == 1, !isLabelCell(filled[0]) else { break }
            parts.append(filled[0])
            next += 1
            if field != .summary { break }
        }
        return (parts.joined(separator: "\n"), next - rowIndex - 1)
    }
}
