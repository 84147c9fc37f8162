import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes names written by Chinese Windows software: UTF-8 when the bytes are valid UTF-8,
/// else GB18030 (a superset of GBK/CP936, what zips without the UTF-8 flag and ANSI TNEF names
/// carry), else UTF-8 with replacement characters. The result is NFC.
enum LegacyTextDecoding {
    static func decode(_ bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        let text = String(validating: bytes, as: UTF8.self) ?? gb18030(bytes) ?? String(decoding: bytes, as: UTF8.self)
        return text.precomposedStringWithCanonicalMapping
    }

    /// iconv's GB18030 decoder; nil when the bytes are not GB18030 either.
    static func gb18030(_ bytes: [UInt8]) -> String? {
        let converter = iconv_open("UTF-8", "GB18030")
        guard let converter, converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }

        var input = bytes.map { CChar(bitPattern: $0) }
        // GB18030 uses at most 4 bytes per character, UTF-8 at most 4 for the same one.
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 8)
        let written: Int? = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                var inPointer = inputBuffer.baseAddress
                var inLeft = inputBuffer.count
                var outPointer = outputBuffer.baseAddress
                var outLeft = outputBuffer.count
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                guard result != -1, inLeft == 0 else { return nil }
                return outputBuffer.count - outLeft
            }
        }
        guard let written else { return nil }
        return String(validating: output.prefix(written).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
