// Content-Type / Content-Disposition values: RFC 2231 continuations and charsets, RFC 2047
// words in quotes, raw 8-bit names; then the part kind those values give (as either header).
import FuzzSupport
import MIME

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    let parameters = ContentParameters(raw: FuzzInput.bytes(data, size))
    _ = AttachmentPolicy.kind(contentType: parameters.value, disposition: parameters.value,
                              filename: parameters["filename"] ?? parameters["name"])
    return 0
}

runLibFuzzer(fuzz)
