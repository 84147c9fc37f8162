// RFC 2047 encoded words in unstructured and structured headers, and charset conversion:
// the first line names a charset, the rest is decoded with it.
import FuzzSupport
@testable import MIME

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    let bytes = FuzzInput.bytes(data, size)
    _ = EncodedWords.decodeUnstructured(bytes)
    _ = EncodedWords.repair(bytes)
    if let newline = bytes.firstIndex(of: 0x0A) {
        let label = String(decoding: bytes[..<newline], as: UTF8.self)
        _ = Charset.decode(bytes[(newline + 1)...], label: label)
        _ = Charset.canonicalName(forLabel: label)
    } else {
        _ = Charset.decodeUndeclared(bytes)
    }
    return 0
}

runLibFuzzer(fuzz)
