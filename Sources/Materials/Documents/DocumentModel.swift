// Shared value types of the Materials module: what a reader hands to the checks.
// Readers are pure: they get one file (or bytes) and return these values, never touching the store.

/// A table as it appears in the document, cell by cell, with merges kept so a form reader can
/// find "the cell after this label" in 2-column, 4-column and merged layouts.
public struct DocumentTable: Sendable, Equatable {
    public var rows: [[TableCell]]
    public init(rows: [[TableCell]]) { self.rows = rows }
}

public struct TableCell: Sendable, Equatable {
    /// The cell's text, paragraphs joined with "\n", trimmed.
    public var text: String
    /// How many grid columns the cell spans (Word `w:gridSpan`, xlsx merged range width); 1 when not merged.
    public var columnSpan: Int
    /// True for the lower cells of a vertical merge (Word `w:vMerge` without `restart`): they repeat nothing.
    public var continuesVerticalMerge: Bool

    public init(text: String, columnSpan: Int = 1, continuesVerticalMerge: Bool = false) {
        self.text = text
        self.columnSpan = columnSpan
        self.continuesVerticalMerge = continuesVerticalMerge
    }
}

/// A file stored inside a document (an image in `word/media/`, say), listed with its bytes' size
/// so image rules can count images embedded in the essay.
public struct EmbeddedFile: Sendable, Equatable {
    /// The name inside the container, as data (never used as a path).
    public var name: String
    public var size: Int
    public init(name: String, size: Int) {
        self.name = name
        self.size = size
    }
}

/// The text of one document: body paragraphs in reading order (table cells, text boxes and
/// footnotes included, each as its own paragraph), its tables, and what is embedded in it.
public struct DocumentText: Sendable, Equatable {
    public var paragraphs: [String]
    public var tables: [DocumentTable]
    public var embeddedFiles: [EmbeddedFile]
    /// True when the document carries macros (vbaProject.bin, an OLE `Macros` storage, a .docm type).
    public var hasMacros: Bool

    public init(paragraphs: [String], tables: [DocumentTable] = [], embeddedFiles: [EmbeddedFile] = [],
                hasMacros: Bool = false) {
        self.paragraphs = paragraphs
        self.tables = tables
        self.embeddedFiles = embeddedFiles
        self.hasMacros = hasMacros
    }

    /// All text, one paragraph per line.
    public var plainText: String { paragraphs.joined(separator: "\n") }
}
