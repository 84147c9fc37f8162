import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes archive entries to numbered files, counting every byte against the caps before it
/// reaches the disk.
struct BoundedExtraction {
    let directory: URL
    let limits: ArchiveLimits
    let archiveSize: Int
    var files: [ExtractedEntry] = []
    var skipped: [ArchiveEntry] = []
    private var written: [URL] = []
    private var totalBytes = 0

    init(directory: URL, limits: ArchiveLimits, archiveSize: Int) {
        self.directory = directory
        self.limits = limits
        self.archiveSize = archiveSize
    }

    mutating func write(_ entry: ArchiveEntry, from session: LibarchiveSession) throws {
        // A declared size past the cap is refused before anything is written.
        guard entry.size <= limits.maxTotalBytes - totalBytes else {
            throw ArchiveReaderError.tooLarge(limit: limits.maxTotalBytes)
        }
        let url = directory.appendingPathComponent(String(format: "entry-%03d", files.count + 1))
        // O_EXCL and O_NOFOLLOW: never replace or follow anything already in the directory.
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ArchiveReaderError.cannotWrite(String(cString: strerror(errno))) }
        written.append(url)
        defer { close(descriptor) }

        let startConsumed = session.compressedBytesConsumed
        var entryBytes = 0
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try session.readData(into: &buffer)
            if count == 0 { break }
            guard count <= limits.maxTotalBytes - totalBytes else {
                throw ArchiveReaderError.tooLarge(limit: limits.maxTotalBytes)
            }
            entryBytes += count
            totalBytes += count
            try checkRatio(entry: entry, entryBytes: entryBytes,
                           entryCompressed: session.compressedBytesConsumed - startConsumed)
            try writeAll(buffer.prefix(count), to: descriptor)
        }
        files.append(ExtractedEntry(name: entry.name, localURL: url, size: entryBytes))
    }

    /// Refuses an entry that expands too far for what it consumed, and an archive whose whole
    /// output is too large for its file size.
    private func checkRatio(entry: ArchiveEntry, entryBytes: Int, entryCompressed: Int) throws {
        let ratio = limits.maxCompressionRatio
        if entryBytes > limits.ratioThresholdBytes, entryBytes / max(entryCompressed, 1) > ratio {
            throw ArchiveReaderError.compressionRatio(entry: entry.name, limit: ratio)
        }
        if totalBytes > limits.ratioThresholdBytes, totalBytes / max(archiveSize, 1) > ratio {
            throw ArchiveReaderError.compressionRatio(entry: entry.name, limit: ratio)
        }
    }

    private func writeAll(_ bytes: ArraySlice<UInt8>, to descriptor: Int32) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let result = Glibc.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw ArchiveReaderError.cannotWrite(String(cString: strerror(errno)))
                }
                offset += result
            }
        }
    }

    func removeWrittenFiles() {
        for url in written { try? FileManager.default.removeItem(at: url) }
    }
}
