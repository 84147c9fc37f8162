import CGMime
import Foundation

/// What GMime reads instead of the raw message: the same bytes with its header blocks bounded
/// and repaired (see `HeaderBlockScanner`, `HeaderRepair`). The file itself is never changed; the
/// parse input is a GMime stream made of ranges of the file and the few rewritten bytes, so an
/// attachment is still read straight from the file.
struct ParseInput {
    enum Piece: Equatable {
        case file(Range<Int64>)
        case bytes([UInt8])
    }

    /// Offsets in `.file` pieces are relative to `base`, the message's first byte in the file.
    var base: Int64
    var pieces: [Piece]
    var warnings: [ParseWarning]
    /// The message's length in the file.
    var length: Int64

    /// Below malloc's mmap threshold: a buffer per message must not cost two system calls.
    static let chunkSize = 64 * 1024

    /// Reads `range` of the file once. A read error leaves the input as it is: GMime then reports it.
    static func prepare(_ file: UnsafeMutablePointer<GMimeStream>, range: Range<Int64>,
                        limits: ParseLimits, options: OpaquePointer?) -> ParseInput {
        let whole = ParseInput(base: range.lowerBound, pieces: [.file(0..<Int64(range.count))], warnings: [], length: Int64(range.count))
        guard g_mime_stream_seek(file, gint64(range.lowerBound), GMIME_STREAM_SEEK_SET) == gint64(range.lowerBound) else { return whole }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var scanner: HeaderBlockScanner?
        var skipped: Int64 = 0
        var length = Int64(range.count)
        var position: Int64 = 0
        // Content outside any multipart cannot start a header block: the rest need not be read.
        while position < length, !(scanner?.isDone ?? false) {
            let count = g_mime_stream_read(file, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), min(chunkSize, Int(length - position)))
            if count < 0 { return whole }
            if count == 0 {
                length = position  // the file is shorter than the range
                break
            }
            position += Int64(count)
            var chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            if scanner == nil {
                skipped = Int64(HeaderRepair.leadingWhiteSpace(chunk))
                chunk = UnsafeRawBufferPointer(rebasing: chunk[Int(skipped)...])
                scanner = HeaderBlockScanner(startingAt: skipped, limits: limits, options: options)
            }
            scanner?.scan(chunk)
        }
        guard var scanner else { return whole }
        scanner.finish()
        var edits = scanner.edits
        var warnings = scanner.warnings
        if skipped > 0 {
            edits.insert(HeaderBlockScanner.Edit(range: 0..<skipped, replacement: []), at: 0)
            warnings.insert(ParseWarning(code: .headerRepaired, detail: "white space before the first header was skipped"), at: 0)
        }
        let edited = pieces(length: length, edits: edits)
        let merged = coalesced(edited, shortestFileRun: Int64(chunkSize)) { piece in
            read(file, range: range.lowerBound + piece.lowerBound..<range.lowerBound + piece.upperBound)
        }
        return ParseInput(base: range.lowerBound, pieces: merged ?? edited, warnings: warnings, length: length)
    }

    /// Few pieces, each file run at least `shortestFileRun` long: a file run shorter than that is
    /// read and joined to the rewritten bytes around it. GMime appends each source of a stream
    /// by walking all the earlier ones, and a hostile header block may need 50,000 edits.
    /// Nil when a read fails.
    static func coalesced(_ pieces: [Piece], shortestFileRun: Int64, read: (Range<Int64>) -> [UInt8]?) -> [Piece]? {
        guard pieces.count > 1 else { return pieces }
        var output: [Piece] = []
        var pending: [UInt8] = []
        for piece in pieces {
            switch piece {
            case .file(let range) where range.count >= shortestFileRun:
                if !pending.isEmpty { output.append(.bytes(pending)) }
                pending = []
                output.append(piece)
            case .file(let range):
                guard let bytes = read(range) else { return nil }
                pending += bytes
            case .bytes(let bytes):
                pending += bytes
            }
        }
        if !pending.isEmpty { output.append(.bytes(pending)) }
        return output
    }

    private static func read(_ file: UnsafeMutablePointer<GMimeStream>, range: Range<Int64>) -> [UInt8]? {
        guard g_mime_stream_seek(file, gint64(range.lowerBound), GMIME_STREAM_SEEK_SET) == gint64(range.lowerBound) else { return nil }
        var bytes = [UInt8](repeating: 0, count: range.count)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBufferPointer { buffer in
                g_mime_stream_read(file, UnsafeMutableRawPointer(buffer.baseAddress! + filled).assumingMemoryBound(to: CChar.self),
                                   buffer.count - filled)
            }
            guard count > 0 else { return nil }
            filled += count
        }
        return bytes
    }

    /// The file's bytes with each edit applied (edits are sorted and do not overlap).
    static func pieces(length: Int64, edits: [HeaderBlockScanner.Edit]) -> [Piece] {
        var pieces: [Piece] = []
        var position: Int64 = 0
        for edit in edits {
            if edit.range.lowerBound > position { pieces.append(.file(position..<edit.range.lowerBound)) }
            if !edit.replacement.isEmpty { pieces.append(.bytes(edit.replacement)) }
            position = max(position, edit.range.upperBound)
        }
        if length > position { pieces.append(.file(position..<length)) }
        return pieces
    }

    /// Nothing was rewritten: GMime may read the message's bytes as they are.
    var isUnchanged: Bool { pieces == [.file(0..<length)] }

    /// The stream for GMime's parser (the caller unrefs it): a substream for one file range,
    /// otherwise a concatenation of file ranges and rewritten bytes.
    func makeStream(over file: UnsafeMutablePointer<GMimeStream>) -> UnsafeMutablePointer<GMimeStream>? {
        if pieces.count == 1, case .file(let range) = pieces[0] {
            return g_mime_stream_substream(file, gint64(base + range.lowerBound), gint64(base + range.upperBound))
        }
        guard let cat = g_mime_stream_cat_new() else { return nil }
        for piece in pieces {
            let source: UnsafeMutablePointer<GMimeStream>?
            switch piece {
            case .file(let range):
                source = g_mime_stream_substream(file, gint64(base + range.lowerBound), gint64(base + range.upperBound))
            case .bytes(let bytes):
                source = bytes.withUnsafeBufferPointer { g_mime_stream_mem_new_with_buffer(
                    UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), $0.count) }
            }
            guard let source else { cgmime_unref(cat); return nil }
            g_mime_stream_cat_add_source(cgmime_as_stream_cat(cat), source)
            cgmime_unref(source)
        }
        return cat
    }
}
