// The XML inside OOXML parts, without the zip around it (a zip's CRC hides most XML mutations):
// the first byte picks the WordprocessingML walker or the SpreadsheetML tree and readers.
import Foundation
import FuzzSupport
@testable import Materials

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    guard size > 0 else { return 0 }
    let xml = Data(bytes: data + 1, count: size - 1)
    switch data[0] % 4 {
    case 0:
        let walker = WordprocessingMLWalker()
        try? walker.walk(xml, partName: "word/document.xml")
        _ = FormReader.read(tables: walker.tables)
    case 1:
        if let root = try? SpreadsheetXMLElement.parse(xml) { _ = SpreadsheetSharedStrings.read(root) }
    case 2:
        if let root = try? SpreadsheetXMLElement.parse(xml) { _ = SpreadsheetCellStyles(root) }
    default:
        if let root = try? SpreadsheetXMLElement.parse(xml) {
            _ = SpreadsheetSheetGrid(root, context: SpreadsheetCellContext(sharedStrings: ["a", "1990-01"], styles: SpreadsheetCellStyles(), uses1904Dates: data[0] & 4 != 0)).table
        }
    }
    return 0
}

runLibFuzzer(fuzz)
