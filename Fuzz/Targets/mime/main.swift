// The whole MIME parse of one message file (GMime plus our walker, headers, charsets, bodies),
// and the mbox splitter when the input starts like an mbox.
import FuzzSupport
import MIME

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    let url = FuzzInput.file(data, size, fileExtension: "eml")
    _ = try? MessageParser().parse(fileAt: url.path)
    if size >= 5, FuzzInput.bytes(data, 5) == Array("From ".utf8) {
        _ = try? MessageParser().parseMailbox(fileAt: url.path)
    }
    return 0
}

runLibFuzzer(fuzz)
