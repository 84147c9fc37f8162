import Foundation

/// Reads the text of a Word 97–2003 binary document (.doc) and of WPS Office's .wps, which WPS
/// writes in the same format.
///
/// Approach: our own parser, no external tool. `CompoundFile` opens the OLE container; the Word
/// File Information Block (FIB) in the `WordDocument` stream locates the piece table (CLX →
/// PlcPcd) in the `0Table`/`1Table` stream; each piece is either 8-bit cp1252 ("compressed") or
/// UTF-16LE. This decodes Chinese exactly (antiword and catdoc handle CJK only partially) and
/// needs nothing installed.
///
/// Text kept: main document, text boxes, footnotes, endnotes (in that order); field results but
/// not field codes. Skipped: headers/footers, comments, header text boxes.
///
/// Limits: tables are not reconstructed (`tables` is empty; cell texts come out as paragraphs)
/// because the cell/row boundaries live in paragraph properties (PAPX), not in the text;
/// tracked deletions and hidden text are included (they are character properties we do not
/// parse); pictures are not listed in `embeddedFiles`; Word 6/95 files and the pre-2005 Kingsoft
/// WPS format are refused as `unsupportedVersion` / `notAWordDocument`.
public enum LegacyWordReader {
    public static func read(fileAt url: URL, maxBytes: Int = 100 << 20) throws -> DocumentText {
        do {
            return try read(try CompoundFile(fileAt: url, maxBytes: maxBytes))
        } catch let failure as CompoundFile.Failure {
            throw LegacyWordError(failure)
        }
    }

    static func read(bytes: [UInt8]) throws -> DocumentText {
        do {
            return try read(try CompoundFile(bytes: bytes))
        } catch let failure as CompoundFile.Failure {
            throw LegacyWordError(failure)
        }
    }

    private static func read(_ compound: CompoundFile) throws -> DocumentText {
        let names = compound.rootEntryNames
        if names.contains("EncryptedPackage") { throw LegacyWordError.encrypted }  // a protected .docx
        guard let wordDocument = try compound.stream(named: "WordDocument") else {
            throw LegacyWordError.notAWordDocument
        }
        let fib = try WordFIB(LittleEndianBytes(wordDocument))
        guard let table = try compound.stream(named: fib.usesTable1 ? "1Table" : "0Table") else {
            throw LegacyWordError.malformed("the table stream is missing")
        }
        let pieces = try PieceTable(table: LittleEndianBytes(table), fcClx: fib.fcClx, lcbClx: fib.lcbClx)
        let text = LittleEndianBytes(wordDocument)

        var paragraphs: [String] = []
        for range in fib.readableRanges {
            let units = try pieces.characters(in: range, from: text)
            paragraphs += WordTextCleaner.paragraphs(from: units)
        }
        let hasMacros = names.contains { ["Macros", "_VBA_PROJECT_CUR", "_VBA_PROJECT"].contains($0) }
        return DocumentText(paragraphs: paragraphs, tables: [], embeddedFiles: [], hasMacros: hasMacros)
    }
}

public enum LegacyWordError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not an OLE compound file, or one without a Word `WordDocument` stream.
    case notAWordDocument
    /// Password-protected (or XOR-obfuscated) document, or an encrypted OOXML package.
    case encrypted
    /// A Word 6/95 or older file.
    case unsupportedVersion
    /// The file exceeds the size cap.
    case tooLarge
    /// The structures inside the file are inconsistent.
    case malformed(String)

    init(_ failure: CompoundFile.Failure) {
        switch failure {
        case .notACompoundFile: self = .notAWordDocument
        case .tooLarge: self = .tooLarge
        case .malformed(let reason): self = .malformed(reason)
        }
    }

    public var description: String {
        switch self {
        case .notAWordDocument: return "The file is not a Word 97–2003 document."
        case .encrypted: return "The document is password-protected."
        case .unsupportedVersion: return "The document was saved by Word 95 or older, which is not supported."
        case .tooLarge: return "The document is too large."
        case .malformed(let reason): return "The document is damaged: \(reason)."
        }
    }
}
