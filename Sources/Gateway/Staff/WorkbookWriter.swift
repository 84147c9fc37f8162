import Foundation
import ZIPFoundation

/// An Office Open XML workbook (.xlsx) of one table, written by hand: a bold header row frozen at
/// the top with an autofilter over the table, column widths fitted to the content, dates as real
/// spreadsheet dates, long text wrapped. Only what Excel, WPS and LibreOffice need (ECMA-376
/// Part 1, SpreadsheetML): workbook, the table's worksheet, shared strings, styles — and, for a
/// scoring sheet, a hidden second sheet of plain values and a range check on the input cells.
public struct WorkbookWriter {
    public enum Cell: Equatable, Sendable {
        case text(String)
        case number(Double)
        /// A moment, written as the wall-clock date and time in `timeZone` (a spreadsheet date
        /// has no zone) and shown as `yyyy-mm-dd hh:mm`.
        case date(Date)
        case empty
    }

    public struct Column: Sendable {
        public var header: String
        /// Several lines of text: wrapped, and the column kept narrower.
        public var wraps = false

        public init(header: String, wraps: Bool = false) {
            self.header = header
            self.wraps = wraps
        }
    }

    /// Input cells Excel and WPS check as they are typed: a decimal within a range.
    public struct NumberCheck: Sendable {
        /// Zero-based columns, applied to every table row.
        public var columns: [Int]
        public var lowest: Double
        public var highest: Double
        /// What the spreadsheet program says when a value is refused.
        public var message: String

        public init(columns: [Int], lowest: Double, highest: Double, message: String) {
            self.columns = columns
            self.lowest = lowest
            self.highest = highest
            self.message = message
        }
    }

    /// At most 31 characters, none of `[]:*?/\` (Excel's rule for sheet names).
    public var sheetName: String
    public var columns: [Column]
    public var rows: [[Cell]] = []
    public var timeZone: TimeZone
    /// A second, hidden sheet of text cells (row by row, from A1): values the program that made
    /// the workbook reads back, out of the reader's way.
    public var hiddenSheet: (name: String, rows: [[String]])?
    public var numberCheck: NumberCheck?

    public init(sheetName: String, columns: [Column], rows: [[Cell]] = [], timeZone: TimeZone,
                hiddenSheet: (name: String, rows: [[String]])? = nil, numberCheck: NumberCheck? = nil) {
        self.sheetName = sheetName
        self.columns = columns
        self.rows = rows
        self.timeZone = timeZone
        self.hiddenSheet = hiddenSheet
        self.numberCheck = numberCheck
    }

    // Column widths, in Excel's unit (the width of a digit of the default font); a CJK
    // character is two.
    static let widestColumn = 60
    static let widestWrappedColumn = 50
    static let narrowestColumn = 6
    /// Excel keeps at most this many characters in a cell.
    static let cellCharacterLimit = 32_767
    /// How a date cell looks (`yyyy-mm-dd hh:mm`), for its width.
    static let shownDate = "2018-05-14 09:31"

    /// The workbook as the bytes of an .xlsx file.
    public func data() throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        var strings = SharedStrings()
        let sheet = sheetXML(strings: &strings)
        let hidden = hiddenSheet.map { hiddenSheetXML($0.rows, strings: &strings) }
        var parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", Self.packageRelationships),
            ("xl/workbook.xml", workbookXML),
            ("xl/_rels/workbook.xml.rels", workbookRelationships),
            ("xl/styles.xml", Self.styles),
            ("xl/sharedStrings.xml", strings.xml),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        if let hidden { parts.append(("xl/worksheets/sheet2.xml", hidden)) }
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw WorkbookError("无法生成 xlsx 文件 (could not assemble the .xlsx archive)") }
        return data
    }

    // MARK: The worksheet

    /// The table's extent, `A1:M42`.
    var tableReference: String {
        "A1:\(Self.columnName(max(columns.count, 1) - 1))\(rows.count + 1)"
    }

    func sheetXML(strings: inout SharedStrings) -> String {
        var xml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <dimension ref="\(tableReference)"/>\
        <sheetViews><sheetView tabSelected="1" workbookViewId="0">\
        <pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
        <selection pane="bottomLeft" activeCell="A2" sqref="A2"/>\
        </sheetView></sheetViews>\
        <sheetFormatPr defaultRowHeight="15"/><cols>
        """
        for (index, width) in columnWidths.enumerated() {
            xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
        }
        xml += "</cols><sheetData><row r=\"1\">"
        for (index, column) in columns.enumerated() {
            xml += "<c r=\"\(Self.columnName(index))1\" s=\"\(Style.header.rawValue)\" t=\"s\"><v>\(strings.index(of: column.header))</v></c>"
        }
        xml += "</row>"
        for (rowIndex, row) in rows.enumerated() {
            let number = rowIndex + 2
            xml += "<row r=\"\(number)\">"
            for (index, cell) in row.enumerated() where index < columns.count {
                let reference = "\(Self.columnName(index))\(number)"
                let style = columns[index].wraps ? Style.wrapped : Style.plain
                switch cell {
                case .empty: continue
                case .text(let text):
                    xml += "<c r=\"\(reference)\" s=\"\(style.rawValue)\" t=\"s\"><v>\(strings.index(of: text))</v></c>"
                case .number(let value) where value.isFinite:
                    xml += "<c r=\"\(reference)\" s=\"\(style.rawValue)\"><v>\(Self.numberText(value))</v></c>"
                case .number: continue
                case .date(let date):
                    xml += "<c r=\"\(reference)\" s=\"\(Style.date.rawValue)\"><v>\(Self.numberText(serial(date)))</v></c>"
                }
            }
            xml += "</row>"
        }
        xml += "</sheetData><autoFilter ref=\"\(tableReference)\"/>"
        if let check = numberCheck, !rows.isEmpty, !check.columns.isEmpty {
            let ranges = check.columns.map { "\(Self.columnName($0))2:\(Self.columnName($0))\(rows.count + 1)" }.joined(separator: " ")
            xml += "<dataValidations count=\"1\"><dataValidation type=\"decimal\" allowBlank=\"1\" showErrorMessage=\"1\" "
                + "errorTitle=\"\(Self.escaped(String(check.message.prefix(32))))\" error=\"\(Self.escaped(check.message))\" sqref=\"\(ranges)\">"
                + "<formula1>\(Self.numberText(check.lowest))</formula1><formula2>\(Self.numberText(check.highest))</formula2></dataValidation></dataValidations>"
        }
        return xml + "</worksheet>"
    }

    /// The hidden sheet: text cells only, no view settings.
    func hiddenSheetXML(_ rows: [[String]], strings: inout SharedStrings) -> String {
        var xml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
        """
        for (rowIndex, row) in rows.enumerated() {
            xml += "<row r=\"\(rowIndex + 1)\">"
            for (index, text) in row.enumerated() {
                xml += "<c r=\"\(Self.columnName(index))\(rowIndex + 1)\" t=\"s\"><v>\(strings.index(of: text))</v></c>"
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    /// Each column as wide as its longest line (the header with room for the filter button),
    /// within bounds.
    var columnWidths: [Int] {
        columns.enumerated().map { index, column in
            var widest = Self.displayWidth(column.header) + 3
            for row in rows where index < row.count {
                let shown: String
                switch row[index] {
                case .text(let text): shown = text
                case .number(let value): shown = Self.numberText(value)
                case .date: shown = Self.shownDate
                case .empty: shown = ""
                }
                for line in shown.split(separator: "\n", omittingEmptySubsequences: false) {
                    widest = max(widest, Self.displayWidth(line))
                }
            }
            return min(max(widest + 1, Self.narrowestColumn), column.wraps ? Self.widestWrappedColumn : Self.widestColumn)
        }
    }

    /// Days since 1899-12-30 (Excel's serial date, whose day 60 is the 1900-02-29 that never was;
    /// exact for every date from March 1900), of the wall clock in `timeZone`, to the second.
    func serial(_ date: Date) -> Double {
        let seconds = (date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))).rounded()
        return seconds / 86_400 + 25_569
    }

    public static func numberText(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    /// Columns as a terminal or a spreadsheet draws them: East Asian wide and fullwidth
    /// characters count two, combining marks none.
    public static func displayWidth<Text: StringProtocol>(_ text: Text) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0..<0x300: width + 1
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
                 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
                 0x20000...0x3FFFD:
                width + 2
            default: width + (scalar.properties.generalCategory == .nonspacingMark || scalar.value == 0x200B ? 0 : 1)
            }
        }
    }

    /// `A`, `B`, … `Z`, `AA`, … for a zero-based column index.
    public static func columnName(_ index: Int) -> String {
        var index = index
        var name = ""
        repeat {
            name = String(UnicodeScalar(UInt8(65 + index % 26))) + name
            index = index / 26 - 1
        } while index >= 0
        return name
    }

    // MARK: Text

    /// A cell's text as SpreadsheetML keeps it: line breaks as LF, characters XML 1.0 forbids
    /// dropped, the five entities escaped, a literal `_x0041_` kept literal (Excel would read it
    /// as the character U+0041), at most `cellCharacterLimit` characters.
    public static func escaped(_ text: String) -> String {
        // Most cells (names, numbers, plain Chinese) need nothing done.
        let plain = text.utf8.count <= cellCharacterLimit && text.unicodeScalars.allSatisfy { scalar in
            scalar.value >= 0x20 && !(0xFFFE...0xFFFF).contains(scalar.value) && !"&<>\"'_".unicodeScalars.contains(scalar)
        }
        if plain { return text }
        var text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if text.count > cellCharacterLimit { text = String(text.prefix(cellCharacterLimit - 1)) + "…" }
        var output = ""
        let scalars = Array(text.unicodeScalars)
        for (position, scalar) in scalars.enumerated() {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\t", "\n": output.unicodeScalars.append(scalar)
            case "_" where isEscapeSequence(scalars, at: position): output += "_x005F_"
            default:
                if scalar.value >= 0x20 && !(0xFFFE...0xFFFF).contains(scalar.value) { output.unicodeScalars.append(scalar) }
            }
        }
        return output
    }

    /// Whether `_xHHHH_` starts here.
    private static func isEscapeSequence(_ scalars: [Unicode.Scalar], at position: Int) -> Bool {
        guard position + 6 < scalars.count, scalars[position + 1] == "x", scalars[position + 6] == "_" else { return false }
        return scalars[(position + 2)...(position + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    /// The shared string table: each distinct text once, cells refer to it by index.
    struct SharedStrings {
        private var indices: [String: Int] = [:]
        private var texts: [String] = []
        private var references = 0

        mutating func index(of text: String) -> Int {
            references += 1
            if let known = indices[text] { return known }
            indices[text] = texts.count
            texts.append(text)
            return texts.count - 1
        }

        var xml: String {
            var xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="\(references)" uniqueCount="\(texts.count)">
            """
            for text in texts { xml += "<si><t xml:space=\"preserve\">\(WorkbookWriter.escaped(text))</t></si>" }
            return xml + "</sst>"
        }
    }

    // MARK: Package parts

    /// Cell formats, by their index in `cellXfs` of `styles`.
    enum Style: Int {
        case normal = 0, header, date, wrapped, plain
    }

    /// Fonts: 等线 11 (Office's default for Chinese), its bold. Fills: the two Excel reserves.
    /// Number format 164: date and time to the minute.
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font>\
        <font><b/><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="5">\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="center"/></xf>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf>\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top"/></xf>\
        </cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """

    /// The workbook, with the hidden name Excel keeps for a sheet's autofilter range.
    var workbookXML: String {
        let quotedSheet = "'" + sheetName.replacingOccurrences(of: "'", with: "''") + "'"
        let range = tableReference.split(separator: ":").map { reference -> String in
            let letters = reference.prefix { $0.isLetter }
            return "$\(letters)$\(reference.dropFirst(letters.count))"
        }.joined(separator: ":")
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <bookViews><workbookView/></bookViews>\
            <sheets><sheet name="\(Self.escaped(sheetName))" sheetId="1" r:id="rId1"/>\
            \(hiddenSheet.map { "<sheet name=\"\(Self.escaped($0.name))\" sheetId=\"2\" state=\"hidden\" r:id=\"rId4\"/>" } ?? "")</sheets>\
            <definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">\
            \(Self.escaped(quotedSheet))!\(range)</definedName></definedNames>\
            </workbook>
            """
    }

    var contentTypes: String {
        Self.contentTypesTemplate.replacingOccurrences(of: "<!--sheet2-->", with: hiddenSheet == nil ? "" :
            "<Override PartName=\"/xl/worksheets/sheet2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>")
    }

    var workbookRelationships: String {
        Self.workbookRelationshipsTemplate.replacingOccurrences(of: "<!--sheet2-->", with: hiddenSheet == nil ? "" :
            "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet2.xml\"/>")
    }

    static let contentTypesTemplate = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <!--sheet2-->\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        <Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
        </Types>
        """

    static let packageRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """

    static let workbookRelationshipsTemplate = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
        <!--sheet2-->\
        </Relationships>
        """
}

public struct WorkbookError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
