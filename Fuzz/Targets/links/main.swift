// The link scanner: cloud-drive links and extraction codes in text and in HTML bodies,
// and the HTML-to-text of mail bodies.
import FuzzSupport
import MIME
import Materials

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    let text = FuzzInput.text(data, size)
    _ = LinkFinder.links(inText: text)
    _ = LinkFinder.links(inHTML: text)
    _ = HTMLText.plainText(fromHTML: text)
    return 0
}

runLibFuzzer(fuzz)
