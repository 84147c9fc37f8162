import Foundation

/// Walks one WordprocessingML part (document.xml, footnotes.xml, endnotes.xml) as XML events
/// and collects what a reader of the printed page sees:
/// - paragraphs (w:p) in document order; a text box's paragraphs come out when they are met,
///   i.e. before the rest of the paragraph that anchors the box;
/// - w:t text of runs, w:tab/w:ptab → "\t", w:br/w:cr → "\n", w:noBreakHyphen → "-";
/// - not: deleted or moved-away text (w:del, w:moveFrom), field codes (w:instrText), hidden runs
///   (w:vanish), w:sym glyphs, property subtrees;
/// - of mc:AlternateContent only the first branch (the first mc:Choice, or mc:Fallback when there
///   is no Choice), since Word writes the same text box into both and counting both doubles it;
/// - tables (w:tbl, nested too) cell by cell with w:gridSpan and w:vMerge; a cell's paragraphs are
///   also body paragraphs. A nested table's text belongs to its own cells, not to the outer cell.
final class WordprocessingMLWalker {
    private(set) var paragraphs: [String] = []
    private(set) var tables: [DocumentTable] = []

    private static let wordNamespaces: Set<String> = [
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main", // Strict OOXML
    ]
    private static let markupCompatibility = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    /// Subtrees whose text is not part of what is read.
    private static let skippedSubtrees: Set<String> = [
        "del", "moveFrom", "instrText", "delText", "delInstrText", "pPr", "sectPr", "tblPr", "trPr",
        "tblGrid", "sym", "commentReference",
    ]

    private struct CellBuilder {
        var paragraphs: [String] = []
        var columnSpan = 1
        var continuesVerticalMerge = false
    }

    private struct TableBuilder {
        let index: Int
        var rows: [[TableCell]] = []
        var row: [TableCell] = []
        var cell: CellBuilder?
    }

    /// Local names of open elements (nil entries for foreign namespaces we do not interpret).
    private var stack: [String?] = []
    private var skipUntilDepth: Int?
    /// One flag per open mc:AlternateContent: has a branch already been taken?
    private var alternateContentTaken: [Bool] = []
    private var openParagraphs: [String] = []
    private var openTables: [TableBuilder] = []
    private var inText = false
    private var sawRootElement = false
    private var runHidden = false

    /// Parses `data`; throws `ContainerError.malformedPart(partName)` on bad XML or a DTD.
    func walk(_ data: Data, partName: String) throws {
        // XMLEvents refuses DTDs, which OOXML forbids: no entity-expansion bombs inside a part.
        sawRootElement = false
        var ok = true
        do {
            try XMLEvents.read(data) { event in
                switch event {
                case .start(let element): startElement(element)
                case .end: endElement()
                case .text(let text): if inText, skipUntilDepth == nil { appendText(text) }
                }
            }
        } catch {
            ok = false
        }
        // Every opened element closed, and there was a root element at all.
        ok = ok && stack.isEmpty && sawRootElement
        stack.removeAll()
        skipUntilDepth = nil
        alternateContentTaken.removeAll()
        openParagraphs.removeAll()
        openTables.removeAll()
        inText = false
        guard ok else { throw ContainerError.malformedPart(partName) }
    }

    // MARK: Events

    private func startElement(_ element: XMLElementStart) {
        let namespace = element.namespaceURI
        let attributeDict = element.attributes
        let isWord = Self.wordNamespaces.contains(namespace)
        let isMC = namespace == Self.markupCompatibility
        let name: String? = isWord ? element.localName : (isMC ? "mc:" + element.localName : nil)
        stack.append(name)
        sawRootElement = true
        if skipUntilDepth != nil { return }
        guard let name else { return }

        switch name {
        case "mc:AlternateContent":
            alternateContentTaken.append(false)
        case "mc:Choice", "mc:Fallback":
            if alternateContentTaken.last == true {
                skipUntilDepth = stack.count
            } else if !alternateContentTaken.isEmpty {
                alternateContentTaken[alternateContentTaken.count - 1] = true
            }
        case _ where Self.skippedSubtrees.contains(name):
            skipUntilDepth = stack.count
        case "footnote", "endnote":
            // Separator "notes" hold no text of the essay.
            if let type = Self.attribute("type", in: attributeDict), type != "normal" {
                skipUntilDepth = stack.count
            }
        case "p":
            openParagraphs.append("")
        case "r":
            runHidden = false
        case "vanish", "specVanish":
            if parent(is: "rPr"), Self.isOn(attributeDict) { runHidden = true }
        case "t":
            inText = parent(is: "r")
        case "tab", "ptab":
            if parent(is: "r") { appendText("\t") }
        case "br", "cr":
            if parent(is: "r") { appendText("\n") }
        case "noBreakHyphen":
            if parent(is: "r") { appendText("-") }
        case "tbl":
            openTables.append(TableBuilder(index: tables.count))
            tables.append(DocumentTable(rows: []))
        case "tr":
            if !openTables.isEmpty { openTables[openTables.count - 1].row = [] }
        case "tc":
            if !openTables.isEmpty { openTables[openTables.count - 1].cell = CellBuilder() }
        case "gridSpan":
            if parent(is: "tcPr"), let value = Self.attribute("val", in: attributeDict), let span = Int(value),
               span > 0, !openTables.isEmpty {
                openTables[openTables.count - 1].cell?.columnSpan = span
            }
        case "vMerge":
            if parent(is: "tcPr"), !openTables.isEmpty {
                let value = Self.attribute("val", in: attributeDict)
                openTables[openTables.count - 1].cell?.continuesVerticalMerge = value == nil || value == "continue"
            }
        default:
            break
        }
    }

    private func endElement() {
        let depth = stack.count
        let name = stack.popLast() ?? nil
        if let skipDepth = skipUntilDepth {
            if depth == skipDepth { skipUntilDepth = nil }
            return
        }
        guard let name else { return }
        switch name {
        case "mc:AlternateContent":
            _ = alternateContentTaken.popLast()
        case "t":
            inText = false
        case "p":
            if let text = openParagraphs.popLast() { finishParagraph(text) }
        case "tc":
            finishCell()
        case "tr":
            if !openTables.isEmpty {
                finishCell()  // a row closed without its cell closing (malformed): keep the text
                let row = openTables[openTables.count - 1].row
                openTables[openTables.count - 1].rows.append(row)
                openTables[openTables.count - 1].row = []
            }
        case "tbl":
            if let table = openTables.popLast() { tables[table.index] = DocumentTable(rows: table.rows) }
        default:
            break
        }
    }

    // MARK: Helpers

    private func appendText(_ text: String) {
        guard !runHidden, !openParagraphs.isEmpty else { return }
        openParagraphs[openParagraphs.count - 1] += text
    }

    private func finishParagraph(_ raw: String) {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return }
        paragraphs.append(text)
        if !openTables.isEmpty, openTables[openTables.count - 1].cell != nil {
            openTables[openTables.count - 1].cell?.paragraphs.append(text)
        }
    }

    private func finishCell() {
        guard !openTables.isEmpty, let cell = openTables[openTables.count - 1].cell else { return }
        let text = cell.paragraphs.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        openTables[openTables.count - 1].row.append(
            TableCell(text: text, columnSpan: cell.columnSpan, continuesVerticalMerge: cell.continuesVerticalMerge))
        openTables[openTables.count - 1].cell = nil
    }

    /// True when the element just opened sits directly inside a Word element named `name`.
    private func parent(is name: String) -> Bool {
        stack.count >= 2 && stack[stack.count - 2] == name
    }

    /// Attribute by local name, whether the parser reports it qualified ("w:val") or not.
    static func attribute(_ localName: String, in attributes: [String: String]) -> String? {
        if let value = attributes[localName] { return value }
        return attributes.first { $0.key.hasSuffix(":" + localName) }?.value
    }

    /// A toggle property (w:vanish) is on unless its val says otherwise.
    private static func isOn(_ attributes: [String: String]) -> Bool {
        guard let value = attribute("val", in: attributes) else { return true }
        return !["0", "false", "off"].contains(value.lowercased())
    }
}
