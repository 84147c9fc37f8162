import Foundation

/// A plain-text table whose columns line up in a terminal, counting CJK characters as two
/// columns wide (East Asian Wide and Fullwidth), as terminals draw them. Given a width, the
/// widest columns give way first and their cells end in "…".
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    /// Columns that keep their width when the table must narrow (numbers, codes, times):
    /// only the others — names, titles, subjects — give way.
    var fixed: Set<Int> = []

    init(_ headers: [String], fixed: Set<Int> = []) {
        self.headers = headers
        self.fixed = fixed
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// No column is cut narrower than this (or its header, when that is narrower still).
    static let narrowest = 6

    func render(maxWidth: Int? = TerminalWidth.current) -> String {
        let all = [headers] + rows
        var cellWidths = all.map { $0.map(Self.displayWidth) }
        var widths = headers.indices.map { column in cellWidths.map { $0[column] }.max() ?? 0 }
        var cells = all
        if let maxWidth {
            let floors = headers.indices.map { fixed.contains($0) ? widths[$0] : min(Self.displayWidth(headers[$0]), Self.narrowest) }
            widths = Self.fit(widths, into: maxWidth, floors: floors)
            for row in cells.indices {
                for column in cells[row].indices where cellWidths[row][column] > widths[column] {
                    cells[row][column] = Self.truncate(cells[row][column], to: widths[column])
                    cellWidths[row][column] = Self.displayWidth(cells[row][column])
                }
            }
        }
        func line(_ row: Int) -> String {
            cells[row].enumerated().map { index, cell in
                index == cells[row].count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cellWidths[row][index])
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(0), rule] + cells.indices.dropFirst().map(line)).joined(separator: "\n") + "\n"
    }

    /// Narrows the widest column, one column of text at a time, until the table (with two
    /// spaces between columns) fits or every column is at its floor.
    static func fit(_ natural: [Int], into maxWidth: Int, floors: [Int]) -> [Int] {
        var widths = natural
        func total() -> Int { widths.reduce(0, +) + 2 * max(0, widths.count - 1) }
        while total() > maxWidth {
            guard let widest = widths.indices.filter({ widths[$0] > max(floors[$0], 1) }).max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
        }
        return widths
    }

    /// The text cut to `width` display columns, its last column an ellipsis.
    static func truncate(_ text: String, to width: Int) -> String {
        guard displayWidth(text) > width else { return text }
        guard width > 1 else { return "…" }
        var result = "", used = 0
        for character in text {
            let characterWidth = displayWidth(String(character))
            if used + characterWidth > width - 1 { break }
            result.append(character)
            used += characterWidth
        }
        return result + "…"
    }

    /// Lines longer than `width` broken by display width; continuation lines indented to
    /// `indent` columns, so a long problem in `show` stays readable instead of cut.
    static func wrap(_ line: String, to width: Int?, indent: Int = 4) -> String {
        guard let width, width > indent + 10, displayWidth(line) > width else { return line }
        var lines: [String] = [], current = "", used = 0
        for character in line {
            let characterWidth = displayWidth(String(character))
            if used + characterWidth > width {
                lines.append(current)
                current = String(repeating: " ", count: indent)
                used = indent
            }
            current.append(character)
            used += characterWidth
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        // Fast paths skip the category lookup: no marks below U+0300 or among the ideographs.
        if value < 0x300 { return 1 }
        if (0x3400...0x9FFF).contains(value) { return 2 }
        if scalar.properties.generalCategory == .nonspacingMark || value == 0x200B { return 0 }
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}

/// How wide the output may be: `$COLUMNS`, else the terminal's width; nil (no limit) when
/// writing to a pipe or file, or after `--wide`.
enum TerminalWidth {
    nonisolated(unsafe) static var current: Int? = measured()

    /// `--wide`: show every cell whole.
    static func unlimited() { current = nil }

    private static func measured() -> Int? {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        guard isatty(STDOUT_FILENO) != 0 else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
