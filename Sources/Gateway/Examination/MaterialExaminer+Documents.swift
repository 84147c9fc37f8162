import Foundation
import MaterialChecks
import Materials
import Store

/// Documents, forms and containers: the readers behind everything that is not a picture or a video.
extension MaterialExaminer {
    func examineDocument(_ facts: inout MaterialFacts, url: URL, header: [UInt8], depth: Int,
                         keep: (URL, String) throws -> Void) {
        switch FileSniffer.kind(name: facts.name, header: header) {
        case .zip:
            let document: OOXML.Kind
            do {
                document = try OOXML.kind(ofFileAt: url)
            } catch let error as ContainerError where [.tooManyEntries, .tooLarge].contains(error) || error.isRatio {
                // Too big or too compressed to even look into: refused like a bomb, never inflated.
                facts.kind = .unsafe
                facts.unsafeReason = "解压后体积异常（疑似压缩炸弹）"
                facts.format = "zip"
                return
            } catch {
                document = .other  // not an Office file: the archive reader decides
            }
            switch document {
            case .wordDocument(macroEnabled: true), .spreadsheet(macroEnabled: true), .presentation(macroEnabled: true):
                facts.kind = .unsafe
                facts.format = "ooxml"
                facts.unsafeReason = "是含宏的文档"
            case .wordDocument:
                readDocument(&facts, format: "docx") { try DocxReader.read(fileAt: url) }
            case .spreadsheet:
                readSpreadsheet(&facts, url: url)
            case .presentation:
                facts.format = "pptx"
            case .other:
                openContainer(&facts, format: "zip", depth: depth, keep: keep) { directory in
                    try ArchiveReader.extract(fileAt: url, into: directory, limits: archiveLimits).files
                }
            }
        case .rar, .sevenZip, .tar:
            let family = FileSniffer.kind(name: facts.name, header: header)
            openContainer(&facts, format: family == .rar ? "rar" : family == .tar ? "tar" : "7z",
                          depth: depth, keep: keep) { directory in
                try ArchiveReader.extract(fileAt: url, into: directory, limits: archiveLimits).files
            }
        case .tnef:
            openContainer(&facts, format: "winmail.dat", depth: depth, keep: keep) { directory in
                // Outlook's TNEF holds the real attachments; they are small enough to hold at once.
                let attachments = try TNEFReader.attachments(in: Data(contentsOf: url))
                return try attachments.enumerated().map { index, attachment in
                    let file = directory.appendingPathComponent(String(format: "entry-%03d", index + 1))
                    try attachment.data.write(to: file)
                    return ExtractedEntry(name: attachment.name, localURL: file, size: attachment.data.count)
                }
            }
        case .pdf:
            readDocument(&facts, format: "pdf") { try PDFTextReader.read(fileAt: url) }
        case .compoundFile:
            let lowerName = facts.name.lowercased()
            if lowerName.hasSuffix(".xls") || lowerName.hasSuffix(".et") {
                facts.format = "xls"
            } else {
                readDocument(&facts, format: lowerName.hasSuffix(".wps") ? "wps" : "doc") { try LegacyWordReader.read(fileAt: url) }
            }
        case .text:
            readDocument(&facts, format: "txt") { try PlainTextReader.read(fileAt: url).document }
        default:
            // Named like a document but not one inside: the unit meant an essay (or the form) and
            // should hear that it could not be read, not that nothing came.
            let lowerName = facts.name.lowercased()
            if [".docx", ".doc", ".wps", ".pdf", ".txt", ".rtf"].contains(where: { lowerName.hasSuffix($0) }) {
                facts.kind = FormReader.looksLikeForm(fileName: facts.name, tables: []) ? .form : .essay
                facts.format = String(lowerName.split(separator: ".").last ?? "")
                facts.unreadable = "文件已损坏，或内容与扩展名不符"
            }
        }
    }

    /// Reads a document and decides: the form (by name or by its table labels), else an essay.
    private func readDocument(_ facts: inout MaterialFacts, format: String, read: () throws -> DocumentText) {
        facts.format = format
        let document: DocumentText
        do {
            document = try read()
        } catch {
            facts.kind = FormReader.looksLikeForm(fileName: facts.name, tables: []) ? .form : .essay
            facts.unreadable = Self.reason(error)
            return
        }
        if document.hasMacros {
            facts.kind = .unsafe
            facts.unsafeReason = "是含宏的文档"
            return
        }
        // A .doc, .pdf or .txt form arrives without tables (their cells are paragraphs): read the
        // paragraphs as a one-column table, where a label's value is the row below it.
        let tables = document.tables.isEmpty ? [DocumentTable(rows: document.paragraphs.map { [TableCell(text: $0)] })] : document.tables
        if FormReader.looksLikeForm(fileName: facts.name, tables: tables),
           let form = FormReader.read(tables: tables) ?? FormReader.read(lines: document.paragraphs) {
            facts.kind = .form
            facts.form = form
            return
        }
        facts.kind = .essay
        let text = document.plainText
        facts.wordCount = WordCount.count(text)
        facts.text = String(text.prefix(200_000))
        facts.embeddedImages = document.embeddedFiles.filter(\.isImage).map { EmbeddedImage(name: $0.name, size: $0.size) }
        if facts.wordCount == 0 { facts.unreadable = "文件中没有可读取的文字，可能是扫描件或图片" }
    }

    private func readSpreadsheet(_ facts: inout MaterialFacts, url: URL) {
        facts.format = "xlsx"
        guard let tables = try? FormReader.read(xlsxAt: url), FormReader.looksLikeForm(fileName: facts.name, tables: tables),
              let form = FormReader.read(tables: tables) else { return }
        facts.kind = .form
        facts.form = form
    }

    /// Unpacks into a private directory under `scratch`, examines each member (names are data;
    /// files are numbered), then hands it to `keep`, and removes the directory.
    private func openContainer(_ facts: inout MaterialFacts, format: String, depth: Int, keep: (URL, String) throws -> Void,
                               extract: (URL) throws -> [ExtractedEntry]) {
        facts.format = format
        guard depth < maxDepth else {
            facts.kind = .unsafe
            facts.unsafeReason = "是多层嵌套的压缩包"
            return
        }
        let directory = scratch.appendingPathComponent("unpack-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let entries = try extract(directory)
            facts.kind = .container
            for entry in entries {
                let sha256 = try Hex.sha256(fileAt: entry.localURL)
                // Read first, keep after: keeping may take the file away.
                facts.members.append(examine(fileAt: entry.localURL, name: entry.name, sha256: sha256, size: entry.size,
                                             depth: depth + 1, keep: keep))
                try keep(entry.localURL, sha256)
            }
        } catch {
            facts.kind = .unsafe
            facts.unsafeReason = Self.containerReason(error, format: format)
        }
    }

    var archiveLimits: ArchiveLimits { ArchiveLimits.standard }

    /// Why a document could not be read, in words a clerk can act on.
    static func reason(_ error: any Error) -> String {
        switch error {
        case ContainerError.encrypted: "文档设有密码"
        case let container as ContainerError where [.tooManyEntries, .tooLarge].contains(container) || container.isRatio:
            "文档解压后体积异常"
        case is ContainerError: "文档已损坏或格式不正确"
        default: "文件无法解析：\(error)"
        }
    }
}

extension ContainerError {
    var isRatio: Bool {
        switch self {
        case .suspiciousRatio, .sizeMismatch: true
        default: false
        }
    }
}
