// Image headers: JPEG (EXIF orientation), PNG, HEIF/AVIF, TIFF, BMP; and the unsafe-file sniff.
import FuzzSupport
import Materials

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    let bytes = FuzzInput.bytes(data, size)
    _ = ImageProbe.format(ofHeader: bytes)
    _ = UnsafeContent.classify(fileName: "photo.jpg", header: bytes.prefix(512))
    let url = FuzzInput.file(data, size, fileExtension: "jpg")
    _ = try? ImageProbe.probe(fileAt: url)
    return 0
}

runLibFuzzer(fuzz)
