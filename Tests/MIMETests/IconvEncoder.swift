import Glibc

/// Encodes test strings into legacy charsets (the reverse of what the parser does), so test
/// inputs are built from readable Chinese rather than opaque byte dumps.
enum IconvEncoder {
    static func encode(_ text: String, to charset: String) -> [UInt8] {
        let descriptor = iconv_open(charset, "UTF-8")
        precondition(descriptor != iconv_t(bitPattern: -1), "iconv cannot encode to \(charset)")
        defer { iconv_close(descriptor) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        let produced = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                let status = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                precondition(status != -1, "iconv failed encoding \(text) to \(charset)")
                _ = iconv(descriptor, nil, nil, &outPointer, &outLeft)
                return outBuffer.count - outLeft
            }
        }
        return Array(output[0..<produced])
    }
}
