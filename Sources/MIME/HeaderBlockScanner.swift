import CGMime
import Foundation

/// Finds the header blocks GMime will parse — the message's, each part's after a boundary, each
/// forwarded message's — in one streaming pass, and records the edits `HeaderRepair` asks for.
///
/// It follows GMime 3.2's parser rules, because a block it missed would reach GMime unbounded:
/// lines end at LF; a block ends at an empty line or at a boundary of any open multipart; the
/// last Content-Type decides (none: text/plain, or message/rfc822 inside multipart/digest); a
/// multipart's `boundary` is read by GMime itself; message/rfc822, rfc2822, global and news are
/// parsed as mail unless sent base64, quoted-printable or uuencoded. Bodies are only looked at
/// for boundary lines, so a large attachment costs one read and no memory.
struct HeaderBlockScanner {
    struct Edit: Equatable {
        /// Offsets relative to the start of the scan.
        var range: Range<Int64>
        var replacement: [UInt8]
    }

    private(set) var edits: [Edit] = []
    private(set) var warnings: [ParseWarning] = []
    /// Where each header block was found (with `recordsBlocks`), for checking against GMime.
    private(set) var blocks: [Range<Int64>] = []
    var recordsBlocks = false

    private let limits: ParseLimits
    private let options: OpaquePointer?
    /// GMime's MAX_LEVEL: it opens no multipart deeper, so neither do we (and boundary checks stay cheap).
    private static let maxOpenBoundaries = 1024

    private struct Boundary {
        var separator: [UInt8]   // "--" + boundary
        var isDigest: Bool
    }

    private struct Block {
        var start: Int64
        var parentIsDigest: Bool
        var header: PendingHeader?
        var contentType: [UInt8]?
        var transferEncoding: [UInt8]?
    }

    /// One header with its continuation lines, as GMime will see it (with any indentation we
    /// insert); bytes are kept only up to the value limit.
    private struct PendingHeader {
        var start: Int64
        var bytes: [UInt8] = []
        /// Offset where the last line's content ends (its line break is not part of the value).
        var end: Int64
        /// Spaces inserted to indent wrapped parameter lines.
        var inserted = 0
        var field = HeaderRepair.Field.other
        var valueStart = 0
    }

    private enum Mode {
        case headers(Block)
        case body
    }

    private var mode: Mode
    private var boundaries: [Boundary] = [] {
        didSet { longestSeparator = boundaries.map(\.separator.count).max() ?? 0 }
    }
    private var longestSeparator = 0
    private var offset: Int64
    private var line = LineBuffer()
    private var lastBytes: [UInt8] = []

    init(startingAt start: Int64 = 0, limits: ParseLimits, options: OpaquePointer?) {
        self.limits = limits
        self.options = options
        offset = start
        mode = .headers(Block(start: start, parentIsDigest: false))
    }

    // MARK: Lines

    /// The start of the current line, all of it or its first `keep` bytes, and whether the bytes
    /// past those are all white space (enough to recognise a boundary line of any length).
    private struct LineBuffer {
        var start: Int64 = 0
        var length: Int64 = 0
        var kept: [UInt8] = []
        var keep = 0
        var restIsWhiteSpace = true
        /// The line's last two bytes, which `kept` may not hold.
        var last: UInt8 = 0
        var beforeLast: UInt8 = 0

        var startsWithTwoDashes: Bool { kept.count >= 2 && kept[0] == 0x2D && kept[1] == 0x2D }

        /// LF, CR LF or none (the last line of the file).
        var lineBreakLength: Int64 { last == 0x0A ? (beforeLast == 0x0D && length >= 2 ? 2 : 1) : 0 }
    }

    /// True once nothing left can start a header block: content outside any multipart.
    var isDone: Bool {
        if case .body = mode { return boundaries.isEmpty }
        return false
    }

    mutating func scan(_ chunk: UnsafeRawBufferPointer) {
        guard let base = chunk.baseAddress else { return }
        var position = 0
        while position < chunk.count {
            let rest = chunk.count - position
            if line.length == 0, case .body = mode, base.load(fromByteOffset: position, as: UInt8.self) != 0x2D {
                // Only a line starting with a dash can be a boundary: jump to the next one.
                if boundaries.isEmpty {
                    offset += Int64(rest)
                    break
                }
                var next = position  // the start of the line after the last line break seen
                while next < chunk.count, let newline = memchr(base + next, 0x0A, chunk.count - next) {
                    next = base.distance(to: UnsafeRawPointer(newline)) + 1
                    if next < chunk.count, base.load(fromByteOffset: next, as: UInt8.self) == 0x2D { break }
                }
                let skip = next - position
                if skip > 0 {
                    position += skip
                    offset += Int64(skip)
                    continue
                }
            }
            if line.length == 0 { beginLine() }
            let newline = memchr(base + position, 0x0A, rest)
            let count = newline.map { base.distance(to: UnsafeRawPointer($0)) - position + 1 } ?? rest
            append(UnsafeRawBufferPointer(rebasing: chunk[position..<position + count]))
            position += count
            offset += Int64(count)
            if newline != nil { endLine() }
        }
        lastBytes = Array((lastBytes + chunk.suffix(2)).suffix(2))
    }

    /// Call once after the last chunk.
    mutating func finish() {
        if line.length > 0 { endLine() }
        switch mode {
        case .headers(var block):
            finishHeader(in: &block)
            endBlock(block, at: offset)
        case .body:
            // Inside an open multipart the last part ran to the end of the file: its final line
            // break belongs to the missing boundary, as Python's email and Thunderbird read it.
            guard !boundaries.isEmpty else { return }
            let lineBreak = lastBytes == [0x0D, 0x0A] ? 2 : lastBytes.last == 0x0A ? 1 : 0
            if lineBreak > 0 { edits.append(Edit(range: offset - Int64(lineBreak)..<offset, replacement: [])) }
            note(.missingBoundary, "a multipart has no closing boundary: its last part ends at the end of the file")
        }
    }

    private mutating func beginLine() {
        line.start = offset
        line.kept.removeAll(keepingCapacity: true)
        line.restIsWhiteSpace = true
        line.last = 0
        line.beforeLast = 0
        switch mode {
        case .headers: line.keep = limits.maxHeaderBytes + 1024
        case .body: line.keep = boundaries.isEmpty ? 0 : longestSeparator + 4
        }
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        // Only a body line starting with a dash can be a boundary: keep nothing of the others.
        if line.length == 0, case .body = mode, bytes.first != 0x2D { line.keep = 0 }
        let room = max(0, line.keep - line.kept.count)
        line.kept.append(contentsOf: bytes.prefix(room))
        if bytes.count > room, line.restIsWhiteSpace, line.startsWithTwoDashes {
            line.restIsWhiteSpace = bytes.dropFirst(room).allSatisfy(HeaderRepair.isWhiteSpace)
        }
        line.length += Int64(bytes.count)
        if bytes.count >= 2 {
            line.beforeLast = bytes[bytes.count - 2]
        } else if !bytes.isEmpty {
            line.beforeLast = line.last
        }
        if let last = bytes.last { line.last = last }
    }

    private mutating func endLine() {
        switch mode {
        case .headers(var block):
            mode = .body  // the block's bytes must not be shared while a header grows line by line
            headerLine(in: &block)
        case .body:
            if let (index, isEnd) = boundary() { enter(boundary: index, isEnd: isEnd) }
        }
        line.length = 0
    }

    /// GMime's `check_boundary`: innermost first, the closing form before the separator, then
    /// nothing but white space.
    private func boundary() -> (index: Int, isEnd: Bool)? {
        guard line.startsWithTwoDashes, line.restIsWhiteSpace, !boundaries.isEmpty else { return nil }
        for index in boundaries.indices.reversed() {
            let separator = boundaries[index].separator
            if line.kept.starts(with: separator + [0x2D, 0x2D]),
               line.kept.dropFirst(separator.count + 2).allSatisfy(HeaderRepair.isWhiteSpace) {
                return (index, true)
            }
            if line.kept.starts(with: separator), line.kept.dropFirst(separator.count).allSatisfy(HeaderRepair.isWhiteSpace) {
                return (index, false)
            }
        }
        return nil
    }

    private mutating func enter(boundary index: Int, isEnd: Bool) {
        if isEnd {
            boundaries.removeSubrange(index...)
            mode = .body
        } else {
            boundaries.removeSubrange((index + 1)...)
            mode = .headers(Block(start: offset, parentIsDigest: boundaries[index].isDigest))
        }
    }

    // MARK: Header blocks

    private mutating func headerLine(in block: inout Block) {
        let kept = line.kept
        let isBlank = (kept.count == 1 && kept[0] == 0x0A) || (kept.count == 2 && kept[0] == 0x0D && kept[1] == 0x0A)
        if isBlank {
            finishHeader(in: &block)
            endBlock(block, at: line.start)
            return startBody(after: block)
        }
        if let (index, isEnd) = boundary() {
            finishHeader(in: &block)
            endBlock(block, at: line.start)
            return enter(boundary: index, isEnd: isEnd)
        }
        let first = kept.first ?? 0
        if block.header != nil, first == 0x20 || first == 0x09 {
            appendLine(to: &block)
        } else if let header = block.header, header.field == .contentType || header.field == .contentDisposition,
                  HeaderRepair.continuesParameters(kept) {
            edits.append(Edit(range: line.start..<line.start, replacement: [0x20]))
            note(.headerRepaired, "a \(displayName(header)) parameter on a line without indentation was read as its continuation")
            appendLine(to: &block, indented: true)
        } else {
            finishHeader(in: &block)
            var header = PendingHeader(start: line.start, end: line.start)
            if let colon = HeaderRepair.fieldNameEnd(kept) {
                header.valueStart = colon + 1
                header.field = HeaderRepair.field(named: kept[..<colon])
            }
            block.header = header
            appendLine(to: &block)
        }
        mode = .headers(block)
    }

    private mutating func appendLine(to block: inout Block, indented: Bool = false) {
        guard var header = block.header else { return }
        block.header = nil  // keep the bytes uniquely referenced while appending
        if indented {
            header.bytes.append(0x20)
            header.inserted += 1
        }
        let room = max(0, header.valueStart + limits.maxHeaderBytes + 4 - header.bytes.count)
        header.bytes.append(contentsOf: line.kept.prefix(room))
        header.end = line.start + line.length - line.lineBreakLength
        block.header = header
    }

    /// Bounds the header's value and records the edit; keeps what the structure depends on.
    private mutating func finishHeader(in block: inout Block) {
        guard let header = block.header else { return }
        block.header = nil
        let valueStart = header.start + Int64(header.valueStart)
        let fullLength = Int(header.end - valueStart) + header.inserted
        // Most headers are short and of no interest: leave their bytes where they are.
        guard fullLength > limits.maxHeaderBytes || header.field != .other else { return }
        var value = Array(header.bytes.dropFirst(header.valueStart).prefix(fullLength))
        var changed = false
        if fullLength > limits.maxHeaderBytes {
            value = Array(value.prefix(HeaderRepair.cutLength(value, limit: limits.maxHeaderBytes)))
            changed = true
            note(.headerTooLong, "\(displayName(header)) longer than \(limits.maxHeaderBytes) bytes was cut")
        }
        if header.field == .address, let limited = HeaderRepair.limitingColons(value, budget: limits.maxAddressColons) {
            value = limited
            changed = true
            note(.addressGroupsTooDeep, "\(displayName(header)) has more than \(limits.maxAddressColons) colons: the rest were read as spaces")
        }
        if changed {
            let range = valueStart..<header.end
            // The spaces inserted before this header's wrapped lines are inside the rewritten value.
            while let last = edits.last, last.range.isEmpty, last.range.lowerBound >= range.lowerBound { edits.removeLast() }
            edits.append(Edit(range: range, replacement: value))
        }
        if header.field == .contentType { block.contentType = value }
        if header.field == .contentTransferEncoding, block.transferEncoding == nil { block.transferEncoding = value }
    }

    private func displayName(_ header: PendingHeader) -> String {
        guard header.valueStart > 0 else { return "a header line" }
        return String(decoding: header.bytes.prefix(header.valueStart - 1), as: UTF8.self)
    }

    private mutating func endBlock(_ block: Block, at end: Int64) {
        if recordsBlocks { blocks.append(block.start..<end) }
    }

    /// What follows the blank line: a multipart's preamble, a forwarded message's headers, or content.
    private mutating func startBody(after block: Block) {
        let fallback = block.parentIsDigest ? MediaType(type: "message", subtype: "rfc822") : MediaType(type: "text", subtype: "plain")
        let type = block.contentType.flatMap { MediaType(value: $0) } ?? fallback
        mode = .body
        if type.isMultipart {
            if let boundary = block.contentType.flatMap(boundaryParameter), boundaries.count < Self.maxOpenBoundaries {
                boundaries.append(Boundary(separator: Array("--".utf8) + boundary, isDigest: type.subtype == "digest"))
            }
        } else if type.isMessage, !isEncoded(block.transferEncoding) {
            mode = .headers(Block(start: offset, parentIsDigest: false))
        }
    }

    /// The boundary as GMime decodes it (quoting, RFC 2231), so both match the same lines.
    private func boundaryParameter(_ value: [UInt8]) -> [UInt8]? {
        let text = value.prefix { $0 != 0 } + [0]
        guard let contentType = text.withUnsafeBufferPointer({ g_mime_content_type_parse(options, $0.baseAddress) }) else {
            return nil
        }
        defer { cgmime_unref(contentType) }
        guard let boundary = g_mime_content_type_get_parameter(contentType, "boundary") else { return nil }
        return Array(UnsafeRawBufferPointer(start: boundary, count: strlen(boundary)))
    }

    private func isEncoded(_ value: [UInt8]?) -> Bool {
        guard let value else { return false }
        let encoding = (value.prefix { $0 != 0 } + [0]).withUnsafeBufferPointer { g_mime_content_encoding_from_string($0.baseAddress) }
        return [GMIME_CONTENT_ENCODING_BASE64, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE, GMIME_CONTENT_ENCODING_UUENCODE].contains(encoding)
    }

    /// One warning per distinct finding, and not too many: a hostile message may repeat one 100,000 times.
    private mutating func note(_ code: ParseWarning.Code, _ detail: String) {
        let warning = ParseWarning(code: code, detail: detail)
        guard warnings.count < 20, !warnings.contains(warning) else { return }
        warnings.append(warning)
    }
}
