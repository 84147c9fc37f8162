// winmail.dat (TNEF): attributes, attachment records, MAPI properties (long names).
import Foundation
import FuzzSupport
import Materials

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    let bytes = Data(bytes: data, count: size)
    _ = TNEFReader.isTNEF(bytes)
    _ = try? TNEFReader.attachments(in: bytes, maxTotalBytes: 8 << 20)
    return 0
}

runLibFuzzer(fuzz)
