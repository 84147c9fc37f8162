import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes the bytes of a .txt attachment. Units write on Windows, so besides UTF-8 we meet
/// UTF-16 (Notepad's "Unicode") and GBK/GB2312 ("ANSI" on Chinese Windows), which GB18030 covers.
///
/// Order: a BOM decides (UTF-8, UTF-16LE, UTF-16BE); else valid UTF-8 is UTF-8 (pure ASCII
/// included); else GB18030 if iconv decodes every byte; else UTF-8 with U+FFFD replacements and
/// `lossy` set. BOM-less UTF-16 is not guessed.
public enum PlainTextReader {
    public enum Encoding: Sendable, Equatable {
        case utf8, utf16LittleEndian, utf16BigEndian, gb18030
    }

    public struct Result: Sendable, Equatable {
        public var text: String
        public var encoding: Encoding
        /// True when bytes had to be replaced with U+FFFD: the text is not what the unit wrote.
        public var lossy: Bool

        /// The text as a document: each non-blank line is a paragraph.
        public var document: DocumentText {
            let lines = text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
            return DocumentText(paragraphs: lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
    }

    public enum ReadError: Error, Equatable, Sendable, CustomStringConvertible {
        case tooLarge
        case unreadable
        public var description: String {
            switch self {
            case .tooLarge: return "The text file is too large."
            case .unreadable: return "The text file cannot be read."
            }
        }
    }

    public static func read(fileAt url: URL, maxBytes: Int = 20 << 20) throws -> Result {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maxBytes else { throw ReadError.tooLarge }
        guard let data = try? Data(contentsOf: url) else { throw ReadError.unreadable }
        return decode(data)
    }

    public static func decode(_ data: Data) -> Result {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return utf8(bytes.dropFirst(3))
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return utf16(bytes.dropFirst(2), littleEndian: true)
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return utf16(bytes.dropFirst(2), littleEndian: false)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return Result(text: text, encoding: .utf8, lossy: false)
        }
        if let text = GB18030.decode(bytes) {
            return Result(text: text, encoding: .gb18030, lossy: false)
        }
        return Result(text: String(decoding: bytes, as: UTF8.self), encoding: .utf8, lossy: true)
    }

    private static func utf8(_ bytes: ArraySlice<UInt8>) -> Result {
        if let text = String(validating: bytes, as: UTF8.self) {
            return Result(text: text, encoding: .utf8, lossy: false)
        }
        return Result(text: String(decoding: bytes, as: UTF8.self), encoding: .utf8, lossy: true)
    }

    private static func utf16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> Result {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let a = UInt16(bytes[index]), b = UInt16(bytes[index + 1])
            units.append(littleEndian ? a | b << 8 : a << 8 | b)
            index += 2
        }
        let oddByte = bytes.count % 2 != 0
        let strict = String(validating: units, as: UTF16.self)
        let text = strict ?? String(decoding: units, as: UTF16.self)
        return Result(text: text, encoding: littleEndian ? .utf16LittleEndian : .utf16BigEndian,
                      lossy: strict == nil || oddByte)
    }
}

/// GB18030 (a superset of GBK and GB2312) through glibc's iconv.
enum GB18030 {
    /// The decoded text, or nil when any byte sequence is invalid or incomplete.
    static func decode(_ bytes: [UInt8]) -> String? {
        if bytes.isEmpty { return "" }
        let converter = iconv_open("UTF-8", "GB18030")
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = bytes
        // A GB18030 character takes 1–4 bytes and becomes at most 4 UTF-8 bytes; 2 bytes become ≤ 3.
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var written = -1
        input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                guard let inBase = inBuffer.baseAddress, let outBase = outBuffer.baseAddress else { return }
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                // -1 on an invalid (EILSEQ) or truncated (EINVAL) sequence: not GB18030.
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else { return }
                written = outBuffer.count - outLeft
            }
        }
        guard written >= 0 else { return nil }
        return String(validating: output[0..<written], as: UTF8.self)
    }
}
