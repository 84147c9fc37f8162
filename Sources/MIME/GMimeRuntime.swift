import CGMime

/// GMime must be initialised once per process before any other call; Swift runs a global's
/// initialiser exactly once, thread-safely, so touching `GMimeRuntime.ready` is enough.
enum GMimeRuntime {
    static let ready: Bool = {
        g_mime_init()
        // GMime decodes Subject and addresses while it parses, calling iconv_open/iconv_close
        // each time; glibc unloads a gconv module on its last close, so every Chinese header cost
        // a dlopen. Keeping one descriptor open per common charset keeps the modules resident.
        for charset in ["GB18030", "GBK", "GB2312", "BIG5", "BIG5-HKSCS", "ISO-2022-JP", "ISO-2022-JP-2"] {
            _ = IconvConverter.isSupported(charset)
        }
        return true
    }()

    /// Parser options for Chinese mail: 8-bit header text is tried as UTF-8 first, then GB18030;
    /// RFC 2047/2231 stay in GMime's default loose mode (strict loses Foxmail's quoted words).
    /// The caller owns the result (`g_mime_parser_options_free`).
    static func makeOptions() -> OpaquePointer? {
        _ = ready
        let options = g_mime_parser_options_new()
        let fallbacks = ["UTF-8", "GB18030"]
        withArrayOfCStrings(fallbacks) { pointers in
            g_mime_parser_options_set_fallback_charsets(options, pointers)
        }
        return options
    }
}

/// Calls `body` with a NULL-terminated `const char **` built from `strings`.
func withArrayOfCStrings<Result>(_ strings: [String],
                                 _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>) -> Result) -> Result {
    let duplicates = strings.map { strdup($0) }
    defer { duplicates.forEach { free($0) } }
    var pointers: [UnsafePointer<CChar>?] = duplicates.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}

/// Takes ownership of a g_malloc'ed C string.
func takeGString(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    defer { g_free(pointer) }
    return String(cString: pointer)
}
