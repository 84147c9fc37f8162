// Archives through libarchive (zip, rar, 7z, tar, compressed): the listing, and extraction into
// an empty folder with small limits (names, links, nesting, ratio, totals).
import FuzzSupport
import Materials

enum Fixed {
    static let limits = ArchiveLimits(maxEntries: 50, maxTotalBytes: 4 << 20, maxCompressionRatio: 200,
                                      ratioThresholdBytes: 256 << 10, maxNestingDepth: 2)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    _ = ArchiveReader.looksLikeArchive(header: FuzzInput.bytes(data, min(size, 512)))
    let url = FuzzInput.file(data, size, fileExtension: "zip")
    _ = try? ArchiveReader.list(fileAt: url, limits: Fixed.limits)
    _ = try? ArchiveReader.extract(fileAt: url, into: FuzzInput.emptyFolder("extracted"), limits: Fixed.limits)
    return 0
}

runLibFuzzer(fuzz)
