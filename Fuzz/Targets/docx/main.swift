// A .docx/.docm as it arrives: the bounded zip, [Content_Types].xml, the main part, notes, media.
import FuzzSupport
import Materials

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    let url = FuzzInput.file(data, size, fileExtension: "docx")
    _ = try? OOXML.kind(ofFileAt: url)
    if let document = try? DocxReader.read(fileAt: url) {
        _ = FormReader.read(tables: document.tables)
    }
    return 0
}

runLibFuzzer(fuzz)
