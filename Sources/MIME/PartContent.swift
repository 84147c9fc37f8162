import CGMime
import Crypto
import Foundation

/// Streams one part's decoded content (base64, quoted-printable, uuencode or as is) in
/// fixed-size chunks: into a file and a SHA-256 for attachments, into memory (capped) for
/// body text. The message's own bytes stay on disk; GMime reads them through its file stream.
struct PartContent {
    static let chunkSize = 64 * 1024

    /// Calls `consume` with each decoded chunk. Returns the number of decoded bytes.
    static func forEachChunk(of part: UnsafeMutablePointer<GMimePart>,
                             _ consume: (UnsafeRawBufferPointer) throws -> Void) throws -> Int64 {
        guard let wrapper = g_mime_part_get_content(part), let source = g_mime_data_wrapper_get_stream(wrapper) else {
            return 0
        }
        g_mime_stream_reset(source)
        let encoding = g_mime_data_wrapper_get_encoding(wrapper)
        let decoding = g_mime_stream_filter_new(source)
        defer { cgmime_unref(decoding) }
        switch encoding {
        case GMIME_CONTENT_ENCODING_BASE64, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE, GMIME_CONTENT_ENCODING_UUENCODE:
            let filter = g_mime_filter_basic_new(encoding, 0)
            g_mime_stream_filter_add(cgmime_as_stream_filter(decoding), filter)
            cgmime_unref(filter)
        default:
            break
        }

        var total: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = g_mime_stream_read(decoding, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), chunkSize)
            if count < 0 { throw MIMEError.readFailed(detail: "decoding a part failed") }
            if count == 0 { break }
            try consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            total += Int64(count)
        }
        return total
    }

    /// Decodes into `destination` (created exclusively; nil: hash only) and hashes on the way.
    static func store(_ part: UnsafeMutablePointer<GMimePart>, to destination: String?) throws -> (size: Int64, sha256: String) {
        var hasher = SHA256()
        var file: FileHandle?
        if let destination {
            let descriptor = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
            guard descriptor >= 0 else {
                throw MIMEError.cannotWrite(path: destination, reason: String(cString: strerror(errno)))
            }
            file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        }
        let size = try forEachChunk(of: part) { chunk in
            hasher.update(bufferPointer: chunk)
            try file?.write(contentsOf: chunk)
        }
        try file?.close()
        return (size, hexString(hasher.finalize()))
    }

    static func hexString(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        for byte in digest {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decoded bytes of a text part, at most `limit` of them; `truncated` tells if more existed.
    static func bytes(of part: UnsafeMutablePointer<GMimePart>, limit: Int) throws -> (bytes: [UInt8], truncated: Bool) {
        var bytes: [UInt8] = []
        var truncated = false
        _ = try forEachChunk(of: part) { chunk in
            let room = limit - bytes.count
            if room <= 0 { truncated = true; return }
            bytes.append(contentsOf: chunk.prefix(room))
            if chunk.count > room { truncated = true }
        }
        return (bytes, truncated)
    }
}
