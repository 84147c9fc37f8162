// Word 97–2003 .doc and WPS .wps: the OLE compound file, the FIB, the piece table, the text.
import FuzzSupport
@testable import Materials

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    _ = try? LegacyWordReader.read(bytes: FuzzInput.bytes(data, size))
    return 0
}

runLibFuzzer(fuzz)
