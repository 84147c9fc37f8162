// The nomination form's labels and values from text: lines of tab-separated cells (the
// plain-text form), and the same cells as one table (as a .docx table arrives).
import FuzzSupport
import Materials

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    let lines = FuzzInput.text(data, size).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    _ = FormReader.read(lines: lines)
    let table = DocumentTable(rows: lines.map { line in
        line.split(separator: "\t", omittingEmptySubsequences: false).map { TableCell(text: String($0)) }
    })
    _ = FormReader.looksLikeForm(fileName: nil, tables: [table])
    if let form = FormReader.read(tables: [table]) { _ = form.missingFields() }
    return 0
}

runLibFuzzer(fuzz)
