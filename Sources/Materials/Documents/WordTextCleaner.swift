import Foundation

/// Turns the raw character stream of a binary Word story into paragraphs: Word marks paragraph
/// ends, cell ends, breaks and fields with control characters ([MS-DOC] 2.8.25 and 2.8.26).
enum WordTextCleaner {
    private enum FieldPart { case instruction, result }

    static func paragraphs(from units: [UInt16]) -> [String] {
        var paragraphs: [String] = []
        var current: [UInt16] = []
        var fields: [FieldPart] = []

        func endParagraph() {
            let text = String(decoding: current, as: UTF16.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { paragraphs.append(text) }
            current.removeAll(keepingCapacity: true)
        }

        for unit in units {
            switch unit {
            case 0x13: fields.append(.instruction)  // field begin: the code follows
            case 0x14: if !fields.isEmpty { fields[fields.count - 1] = .result }  // separator: the result follows
            case 0x15: _ = fields.popLast()  // field end
            default:
                // Text shows only when every enclosing field is in its result part.
                guard fields.allSatisfy({ $0 == .result }) else { continue }
                switch unit {
                case 0x0D, 0x07, 0x0C, 0x0E: endParagraph()  // paragraph, cell/row end, page/section, column break
                case 0x0B: current.append(0x0A)  // manual line break
                case 0x09: current.append(0x09)
                case 0x1E: current.append(0x2D)  // non-breaking hyphen
                case 0x00..<0x20: continue  // pictures, note references, optional hyphen and other marks
                case 0xF000...0xF0FF: continue  // symbol-font glyphs (Wingdings etc.), like w:sym in docx
                default: current.append(unit)
                }
            }
        }
        endParagraph()
        return paragraphs
    }
}
