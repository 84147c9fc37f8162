import Foundation

/// Reads the text of a .docx (also .docm/.dotx: any WordprocessingML package).
///
/// Body paragraphs come first, then footnotes, then endnotes — the parts of the essay that Word's
/// word count includes. Headers and footers are skipped: they hold the unit's letterhead and page
/// numbers, not the essay. Comments are skipped too.
public enum DocxReader {
    static let footnotesType = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    static let endnotesType = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"

    public static func read(fileAt url: URL, limits: ContainerLimits = .default) throws -> DocumentText {
        let zip = try BoundedZip(fileAt: url, limits: limits)
        let contentTypes = try ContentTypes(in: zip)

        let mainPart = contentTypes?.parts { type in
            let lower = type.lowercased()
            return lower.hasSuffix(".main+xml") && (lower.contains("wordprocessingml") || lower.contains("ms-word"))
        }.first ?? "word/document.xml"
        guard let mainData = try zip.data(of: mainPart) else { throw ContainerError.missingPart(mainPart) }

        let walker = WordprocessingMLWalker()
        try walker.walk(mainData, partName: mainPart)
        for (type, fallback) in [(footnotesType, "word/footnotes.xml"), (endnotesType, "word/endnotes.xml")] {
            let part = contentTypes?.parts { $0 == type }.first ?? fallback
            if let data = try zip.data(of: part) { try walker.walk(data, partName: part) }
        }

        let media = zip.entries
            .filter { $0.name.lowercased().hasPrefix("word/media/") && !$0.name.hasSuffix("/") }
            .map { EmbeddedFile(name: $0.name, size: Int(clamping: $0.uncompressedSize)) }
        let macroType = contentTypes?.overrides.values.contains { $0.lowercased().contains("macroenabled") } ?? false
        let hasMacros = zip.contains("word/vbaProject.bin") || macroType

        return DocumentText(paragraphs: walker.paragraphs, tables: walker.tables,
                            embeddedFiles: media, hasMacros: hasMacros)
    }
}
