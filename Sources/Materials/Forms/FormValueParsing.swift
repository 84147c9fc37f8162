import Foundation

/// Turns the text in a form's value cell into typed values.
enum FormValueParsing {
    // Marks that units use to tick a box, and the empty boxes next to them.
    private static let checkedMarks: Set<Character> = ["☑", "✓", "✔", "√", "■", "●", "☒", "✅", "⊠", "▣", "◉", "◼", "⬛", "🗹"]
    private static let uncheckedMarks: Set<Character> = ["□", "☐", "○", "〇", "◯", "◻", "⬜"]

    private enum Token: Equatable {
        case option(NominationForm.Category)
        case mark(checked: Bool)
    }

    /// 推报类型 as the form gives it: "团队 ☑ 个人 □", "■团队 □个人", "√个人" or plainly "个人".
    /// Marks precede their options when the text starts with a mark, else they follow them.
    static func category(from text: String) -> NominationForm.Category? {
        let tokens = tokenize(text)
        let options = tokens.compactMap { token -> NominationForm.Category? in
            if case .option(let category) = token { return category } else { return nil }
        }
        guard !options.isEmpty else { return nil }
        let hasMarks = tokens.contains { if case .mark = $0 { true } else { false } }
        guard hasMarks else { return Set(options).count == 1 ? options[0] : nil }

        let marksLead = if case .mark = tokens[0] { true } else { false }
        var checked: Set<NominationForm.Category> = []
        for (index, token) in tokens.enumerated() {
            guard case .option(let category) = token else { continue }
            let neighbour = marksLead ? index - 1 : index + 1
            if tokens.indices.contains(neighbour), case .mark(checked: true) = tokens[neighbour] {
                checked.insert(category)
            }
        }
        return checked.count == 1 ? checked.first : nil
    }

    private static func tokenize(_ text: String) -> [Token] {
        var text = text
        // Bracketed ticks and empty brackets read as one mark each.
        for ticked in ["[x]", "[X]", "(x)", "(X)", "（x）", "（X）", "（√）", "(√)", "[√]", "【√】"] {
            text = text.replacingOccurrences(of: ticked, with: "☑")
        }
        for empty in ["[ ]", "( )", "（ ）", "（　）", "[]", "()", "（）", "【】", "【 】"] {
            text = text.replacingOccurrences(of: empty, with: "□")
        }
        var tokens: [Token] = []
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            if rest.hasPrefix("团队") || rest.hasPrefix("集体") {
                tokens.append(.option(.team))
                index = text.index(index, offsetBy: 2)
                continue
            }
            if rest.hasPrefix("个人") {
                tokens.append(.option(.individual))
                index = text.index(index, offsetBy: 2)
                continue
            }
            let character = text[index]
            if checkedMarks.contains(character) { tokens.append(.mark(checked: true)) }
            if uncheckedMarks.contains(character) { tokens.append(.mark(checked: false)) }
            index = text.index(after: index)
        }
        return tokens
    }

    /// 出生年月 from "1985年3月", "1985.03", "1985-03", "198503", "1985/3", "1985-03-12" or "19850312",
    /// in half- or full-width digits.
    static func yearMonth(from text: String) -> YearMonth? {
        let folded = String(String.UnicodeScalarView(text.unicodeScalars.map(FormLabel.foldedWidth)))
        let characters = Array(folded)
        var index = 0
        while index < characters.count {
            guard characters[index].isASCII, characters[index].isNumber else { index += 1; continue }
            let runStart = index
            while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
            let run = String(characters[runStart..<index])
            switch run.count {
            case 6, 8:
                return YearMonth(year: Int(run.prefix(4)) ?? 0, month: Int(run.dropFirst(4).prefix(2)) ?? 0)
            case 4:
                guard let year = Int(run) else { return nil }
                var cursor = index
                while cursor < characters.count, "年.-/、 ".contains(characters[cursor]) || characters[cursor] == "．" {
                    cursor += 1
                }
                guard cursor > index else { return nil }
                let monthStart = cursor
                while cursor < characters.count, cursor - monthStart < 2, characters[cursor].isASCII,
                      characters[cursor].isNumber { cursor += 1 }
                guard cursor > monthStart, let month = Int(String(characters[monthStart..<cursor])) else { return nil }
                return YearMonth(year: year, month: month)
            default:
                continue
            }
        }
        return nil
    }

    /// A value as it should be kept: trimmed, runs of white space made one space, and the spaces
    /// that pad Chinese names and words for alignment ("张　三") removed.
    static func cleanedLine(_ text: String) -> String? {
        let words = text.split(whereSeparator: { $0.isWhitespace })
        guard var result = words.first.map(String.init) else { return nil }
        for word in words.dropFirst() {
            if let last = result.last, let first = word.first, isHan(last) && isHan(first) {
                result += word
            } else {
                result += " " + word
            }
        }
        return isPlaceholder(result) ? nil : result
    }

    /// A multi-line value (事迹简介): trimmed, paragraphs kept.
    static func cleanedText(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty || isPlaceholder(trimmed) ? nil : trimmed
    }

    /// "/", "—", "-" and the like stand for "nothing here".
    private static func isPlaceholder(_ text: String) -> Bool {
        text.allSatisfy { "/／\\-—–_－…·.。、 ".contains($0) }
    }

    static func isHan(_ character: Character) -> Bool {
        character.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: true
            default: false
            }
        }
    }
}
