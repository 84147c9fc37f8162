// The earlier-campaign list (CSV in UTF-8 or GB18030, with or without BOM): decoding, RFC 4180
// fields, headers in English or Chinese, rows and dates.
import FuzzSupport
import Gateway

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    let url = FuzzInput.file(data, size, fileExtension: "csv")
    _ = try? EarlierList.read(fileAt: url)
    return 0
}

runLibFuzzer(fuzz)
