// An .xlsx form or earlier-campaign list: the workbook zip, shared strings, styles, sheets.
import FuzzSupport
import Materials

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    let url = FuzzInput.file(data, size, fileExtension: "xlsx")
    if let tables = try? FormReader.read(xlsxAt: url) {
        _ = FormReader.read(tables: tables)
    }
    return 0
}

runLibFuzzer(fuzz)
