import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns bytes in a declared charset into a Swift string, the way Chinese mail needs it.
///
/// Labels are widened to the superset that mail clients really send: `gb2312`, `gbk` and
/// `x-gbk` text routinely carries GB18030-only characters (rare names such as 䶮), and
/// `big5` text carries HKSCS characters. Unknown or missing labels fall back to UTF-8 when
/// the bytes are valid UTF-8, otherwise GB18030 (the most common legacy charset here).
public enum Charset {
    /// The iconv name to use for a charset label found in a mail, or nil if the label is
    /// not known to iconv on this machine.
    public static func canonicalName(forLabel label: String) -> String? {
        let cleaned = label.trimmingQuotesAndSpaces().lowercased()
        // RFC 2231 allows a language suffix on an encoded word's charset: "gb2312*zh".
        let name = cleaned.split(separator: "*", maxSplits: 1).first.map(String.init) ?? cleaned
        if let widened = widenings[name] { return widened }
        if name.isEmpty { return nil }
        return IconvConverter.isSupported(name) ? name.uppercased() : nil
    }

    /// Decodes `bytes` in the charset named by `label` (nil: not declared).
    /// Never fails: undecodable bytes become U+FFFD.
    public static func decode(_ bytes: some Collection<UInt8>, label: String?) -> String {
        let array = Array(bytes)
        let name = label.flatMap(canonicalName(forLabel:))
        // ASCII is ASCII in every charset but the 7-bit escape ones (ISO-2022-JP, UTF-7, HZ).
        if array.allSatisfy({ $0 < 0x80 }) && !(name.map(isSevenBitEncoding) ?? false) {
            return String(decoding: array, as: UTF8.self)
        }
        if let name {
            if name == "UTF-8" { return String(decoding: array, as: UTF8.self) }
            if let text = IconvConverter.convert(array, from: name) { return text }
        }
        return decodeUndeclared(array)
    }

    static func isSevenBitEncoding(_ name: String) -> Bool {
        name.hasPrefix("ISO-2022") || name.hasPrefix("UTF-7") || name.hasPrefix("HZ") || name.hasPrefix("UTF-16")
            || name.hasPrefix("UTF-32") || name.hasPrefix("UCS")
    }

    /// Raw 8-bit text with no usable label: UTF-8 if it is valid UTF-8, else GB18030.
    public static func decodeUndeclared(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return IconvConverter.convert(bytes, from: "GB18030") ?? String(decoding: bytes, as: UTF8.self)
    }

    static let widenings: [String: String] = [
        "utf-8": "UTF-8", "utf8": "UTF-8", "us-ascii": "UTF-8", "ascii": "UTF-8", "unicode-1-1-utf-8": "UTF-8",
        "gb2312": "GB18030", "gbk": "GB18030", "x-gbk": "GB18030", "gb18030": "GB18030",
        "cp936": "GB18030", "ms936": "GB18030", "windows-936": "GB18030", "euc-cn": "GB18030",
        "x-euc-cn": "GB18030", "csgb2312": "GB18030", "gb_2312-80": "GB18030", "chinese": "GB18030",
        "iso-ir-58": "GB18030", "gb2312-80": "GB18030", "x-gb18030": "GB18030",
        "big5": "BIG5-HKSCS", "x-big5": "BIG5-HKSCS", "cn-big5": "BIG5-HKSCS", "csbig5": "BIG5-HKSCS",
        "big5-hkscs": "BIG5-HKSCS", "cp950": "BIG5-HKSCS", "windows-950": "BIG5-HKSCS",
        "iso-2022-jp": "ISO-2022-JP-2", "csiso2022jp": "ISO-2022-JP-2",
        "shift_jis": "CP932", "x-sjis": "CP932", "sjis": "CP932", "windows-31j": "CP932",
        "ks_c_5601-1987": "CP949", "euc-kr": "CP949",
        "iso-8859-1": "WINDOWS-1252", "latin1": "WINDOWS-1252", "iso8859-1": "WINDOWS-1252",
    ]
}

/// A thin, allocation-per-call wrapper over glibc iconv that replaces invalid input with
/// U+FFFD instead of failing, so one bad byte never loses the rest of a header.
enum IconvConverter {
    /// Charset name → its resident descriptor (nil: iconv does not know the name), kept open for
    /// the life of the process. Why: glibc loads a gconv module on iconv_open and unloads it on the
    /// last iconv_close, so without a resident descriptor every header decode paid a dlopen.
    /// The names come from mail (`=?utf-16//x?B?…?=` is a new name to iconv each time), so the
    /// table is bounded: past `maxKnownNames` a name is probed and closed again, not remembered.
    private static let residents = Mutex<[String: UnsafeMutableRawPointer?]>([:])
    static let maxKnownNames = 64

    static func isSupported(_ name: String) -> Bool {
        residents.withLock { known in
            if let descriptor = known[name] { return descriptor != nil }
            let opened = iconv_open("UTF-8", name)
            let descriptor = opened == iconv_t(bitPattern: -1) ? nil : opened
            guard known.count < maxKnownNames else {
                if let descriptor { iconv_close(descriptor) }
                return descriptor != nil
            }
            known.updateValue(descriptor, forKey: name)  // deliberately never closed (see above)
            return descriptor != nil
        }
    }

    /// How many charset names the table remembers (for tests).
    static var knownNameCount: Int { residents.withLock { $0.count } }

    static func convert(_ input: [UInt8], from charset: String) -> String? {
        guard isSupported(charset) else { return nil }
        let descriptor = iconv_open("UTF-8", charset)
        if descriptor == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(descriptor) }

        var output: [UInt8] = []
        output.reserveCapacity(input.count * 2)
        var chunk = [UInt8](repeating: 0, count: 4096)
        input.withUnsafeBufferPointer { inputBuffer in
            var inPointer = UnsafeMutablePointer(mutating: inputBuffer.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }?
                .assumingMemoryBound(to: CChar.self))
            var inLeft = inputBuffer.count
            while true {
                let (status, produced, error) = chunk.withUnsafeMutableBufferPointer { chunkBuffer -> (Int, Int, Int32) in
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(chunkBuffer.baseAddress!)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = chunkBuffer.count
                    let status = inLeft == 0
                        ? iconv(descriptor, nil, nil, &outPointer, &outLeft)   // flush shift state
                        : iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                    return (status, chunkBuffer.count - outLeft, status == -1 ? errno : 0)
                }
                output.append(contentsOf: chunk[0..<produced])
                if status != -1 {
                    if inLeft == 0 { break }
                    continue
                }
                switch error {
                case E2BIG:
                    continue
                case EILSEQ, EINVAL:
                    // Invalid or truncated sequence: mark it and resume after one byte.
                    output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    inPointer = inPointer.map { $0 + 1 }
                    inLeft -= 1
                default:
                    return
                }
                if inLeft == 0 { break }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

extension String {
    /// Cheaper than Foundation's trimmingCharacters(in:) on the per-header hot path.
    func trimmingSpacesAndTabs() -> String {
        guard let first = firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = lastIndex(where: { $0 != " " && $0 != "\t" })!
        return first == startIndex && last == index(before: endIndex) ? self : String(self[first...last])
    }

    func trimmingQuotesAndSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\"" || first == "'" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\"" || last == "'" { scalars.removeLast() }
        return String(scalars)
    }
}

extension StringProtocol {
    /// Trims ASCII white space (space, tab, CR, LF); cheaper than Foundation's trimmingCharacters.
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r\n" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
