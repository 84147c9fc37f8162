// ISO-BMFF (mp4, mov, fragmented mp4): ftyp, moov, tracks, fragments, duration, rotation.
import FuzzSupport
import Materials

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    let url = FuzzInput.file(data, size, fileExtension: "mp4")
    _ = try? VideoProbe.probe(fileAt: url)
    return 0
}

runLibFuzzer(fuzz)
