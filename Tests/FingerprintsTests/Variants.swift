import Foundation

/// An essay as a unit would submit it: a title line, then paragraphs of four sentences, each
/// paragraph indented with two ideographic spaces (as in a Word document).
struct Essay: Sendable {
    var title: String
    var sentences: [String]
    var paragraphSize = 4

    init(pool: Pool) {
        title = pool.title
        var body = pool.sentences
        // Stock phrases every nomination carries, at fixed places.
        body.insert(Corpus.boilerplate[0], at: 16)
        body.append(Corpus.boilerplate[1])
        sentences = body
    }

    var paragraphs: [String] {
        stride(from: 0, to: sentences.count, by: paragraphSize).map {
            sentences[$0..<min($0 + paragraphSize, sentences.count)].joined()
        }
    }

    /// The text as submitted (Word-like layout).
    var text: String {
        title + "\n\n" + paragraphs.map { "\u{3000}\u{3000}" + $0 }.joined(separator: "\n")
    }
}

enum Variants {
    /// Paragraphs in a different order (reversed, then the first two swapped).
    static func reorderedParagraphs(_ essay: Essay) -> String {
        var paragraphs = Array(essay.paragraphs.reversed())
        paragraphs.swapAt(0, 1)
        return essay.title + "\n\n" + paragraphs.map { "\u{3000}\u{3000}" + $0 }.joined(separator: "\n")
    }

    /// Chinese punctuation replaced by ASCII punctuation (as a colleague with an English input
    /// method would type it).
    static func asciiPunctuation(_ text: String) -> String {
        let map: [Character: String] = [
            "，": ", ", "。": ". ", "；": "; ", "：": ": ", "、": ", ", "！": "! ", "？": "? ",
            "“": "\"", "”": "\"", "‘": "'", "’": "'", "（": " (", "）": ") ", "《": "<", "》": ">",
            "—": "-", "\u{3000}": " ",
        ]
        var result = ""
        for character in text {
            if let replacement = map[character] { result += replacement } else { result.append(character) }
        }
        return result
    }

    /// Text as extracted from a PDF: the layout is lost, lines are broken every `width`
    /// characters (regardless of words), and some lines carry stray spaces.
    static func pdfReflow(_ text: String, width: Int = 30) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: "")
        var lines: [String] = []
        var current = ""
        for character in flat {
            current.append(character)
            if current.count == width {
                lines.append(lines.count % 3 == 0 ? " " + current + "  " : current)
                current = ""
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.joined(separator: "\n")
    }

    /// All punctuation changed and reflowed as from a PDF.
    static func punctuationAndReflow(_ essay: Essay) -> String {
        pdfReflow(asciiPunctuation(essay.text))
    }

    /// A different title line, same body.
    static func retitled(_ essay: Essay, title: String) -> String {
        var copy = essay
        copy.title = title
        return copy.text
    }

    /// The essay in traditional characters (ICU Hans-Hant through Foundation).
    static func traditional(_ text: String) -> String? {
        text.applyingTransform(StringTransform("Hans-Hant"), reverse: false)
    }

    /// 10 % of the sentences (4 of 40) replaced by new sentences about the same person.
    static func replacingTenPercent(_ essay: Essay, pool: Pool) -> Essay {
        var copy = essay
        for (slot, index) in [5, 14, 25, 33].enumerated() {
            copy.sentences[index] = pool.extras[slot]
        }
        return copy
    }

    /// A shortened version keeping 80 % of the sentences (every fifth one dropped).
    static func shortened(_ essay: Essay) -> Essay {
        var copy = essay
        copy.sentences = essay.sentences.enumerated().filter { $0.offset % 5 != 4 }.map(\.element)
        return copy
    }
}
