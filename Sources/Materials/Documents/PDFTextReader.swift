import Foundation

/// Extracts the text layer of a PDF with poppler's `pdftotext`.
///
/// Runs `pdftotext -enc UTF-8 FILE -` in its default reading-order mode: `-layout` pads lines
/// with spaces to keep columns, which helps nobody counting 字数 and scrambles two-column pages.
/// Paragraphs are split on blank lines and form feeds (pages). Lines inside a paragraph are
/// joined with nothing between East Asian characters (a Chinese line wrap is not a space) and with
/// one space otherwise, so Latin words on either side of a wrap stay two words.
/// A scanned PDF without a text layer yields no paragraphs; telling that apart is the caller's job.
public enum PDFTextReader {
    public struct Options: Sendable {
        /// nil: look for `pdftotext` on PATH.
        public var toolPath: URL?
        public var timeout: Duration
        public var maxFileBytes: Int
        public var maxOutputBytes: Int

        public init(toolPath: URL? = nil, timeout: Duration = .seconds(30),
                    maxFileBytes: Int = 100 << 20, maxOutputBytes: Int = 10 << 20) {
            self.toolPath = toolPath
            self.timeout = timeout
            self.maxFileBytes = maxFileBytes
            self.maxOutputBytes = maxOutputBytes
        }
    }

    public enum ReadError: Error, Equatable, Sendable, CustomStringConvertible {
        case toolMissing
        case timedOut
        case failed(status: Int32, stderr: String)
        case encrypted
        case notAPDF
        case tooLarge
        case outputTooLarge

        public var description: String {
            switch self {
            case .toolMissing: return "pdftotext is not installed."
            case .timedOut: return "Extracting the PDF's text took too long."
            case .failed(let status, let stderr): return "pdftotext failed with status \(status): \(stderr)"
            case .encrypted: return "The PDF is password-protected."
            case .notAPDF: return "The file is not a PDF."
            case .tooLarge: return "The PDF is too large."
            case .outputTooLarge: return "The PDF's text is too long."
            }
        }
    }

    public static func read(fileAt url: URL, options: Options = Options()) throws -> DocumentText {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue
        guard let size else { throw ReadError.notAPDF }
        guard size <= options.maxFileBytes else { throw ReadError.tooLarge }
        guard hasPDFHeader(url) else { throw ReadError.notAPDF }
        guard let tool = options.toolPath ?? ExternalTool.find("pdftotext") else { throw ReadError.toolMissing }

        let output: ExternalTool.Output
        do {
            output = try ExternalTool(executable: tool, timeout: options.timeout, maxOutputBytes: options.maxOutputBytes)
                .run(["-enc", "UTF-8", url.path, "-"])
        } catch let failure as ExternalTool.Failure {
            switch failure {
            case .missing: throw ReadError.toolMissing
            case .timedOut: throw ReadError.timedOut
            case .outputTooLarge: throw ReadError.outputTooLarge
            case .launchFailed(let reason): throw ReadError.failed(status: -1, stderr: reason)
            }
        }
        // pdftotext exits 1 with "Incorrect password" for a user password, 3 for permission errors.
        if output.status == 3 || output.stderr.localizedCaseInsensitiveContains("password") {
            throw ReadError.encrypted
        }
        guard output.status == 0 else { throw ReadError.failed(status: output.status, stderr: output.stderr) }
        return DocumentText(paragraphs: paragraphs(fromPdftotext: String(decoding: output.stdout, as: UTF8.self)))
    }

    /// Splits pdftotext output into paragraphs (blank lines and form feeds end one).
    static func paragraphs(fromPdftotext text: String) -> [String] {
        var paragraphs: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty { paragraphs.append(current) }
            current = ""
        }
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let pieces = rawLine.split(separator: "\u{0C}", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index > 0 { flush() }  // a form feed starts a new page
                let line = piece.trimmingCharacters(in: .whitespacesAndNewlines)
                if line.isEmpty {
                    if index == pieces.count - 1 { flush() }
                    continue
                }
                current = joinWrapped(current, line)
            }
        }
        flush()
        return paragraphs
    }

    private static func joinWrapped(_ head: String, _ tail: String) -> String {
        guard let last = head.unicodeScalars.last, let first = tail.unicodeScalars.first else { return head + tail }
        let eastAsian = WordCount.CharacterClass(last) == .eastAsian || WordCount.CharacterClass(first) == .eastAsian
        return eastAsian ? head + tail : head + " " + tail
    }

    private static func hasPDFHeader(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 1024) else { return false }
        // The header may follow some junk bytes; readers accept it within the first 1 KiB.
        return head.range(of: Data("%PDF-".utf8)) != nil
    }
}
