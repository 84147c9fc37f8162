// The PDF hand-off: pdftotext runs in its own process (its parser is not ours to fuzz here);
// ours are the header check before it and the reading of what it prints (paragraphs, 字数).
import Foundation
import FuzzSupport
@testable import Materials

enum Fixed {
    static let missingTool = PDFTextReader.Options(toolPath: URL(fileURLWithPath: "/nonexistent/pdftotext"))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    let text = FuzzInput.text(data, size)
    let paragraphs = PDFTextReader.paragraphs(fromPdftotext: text)
    _ = WordCount.count(paragraphs.joined(separator: "\n"))
    // Size and header checks up to the launch, which fails at once on the missing tool.
    let url = FuzzInput.file(data, size, fileExtension: "pdf")
    _ = try? PDFTextReader.read(fileAt: url, options: Fixed.missingTool)
    return 0
}

runLibFuzzer(fuzz)
