/// A plain-text table whose columns line up in a terminal, counting CJK characters as two
/// columns wide (East Asian Wide and Fullwidth), as terminals draw them.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: [String]) { self.headers = headers }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        let all = [headers] + rows
        let cellWidths = all.map { $0.map(Self.displayWidth) }
        let widths = headers.indices.map { column in cellWidths.map { $0[column] }.max() ?? 0 }
        func line(_ row: Int) -> String {
            let cells = all[row]
            return cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cellWidths[row][index])
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(0), rule] + all.indices.dropFirst().map(line)).joined(separator: "\n") + "\n"
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
