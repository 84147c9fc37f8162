import Foundation

/// Reads bytes at explicit offsets through two small cached windows, so walking headers costs a few
/// kilobytes however large the file is. Two windows let a walk jump between the file's start (ftyp)
/// and its end (a trailing moov) without re-reading. It counts what it read so tests can prove
/// that (`bytesRead`).
///
/// Confined to a single probe call: it owns a file handle and a mutable cache, so it is not Sendable.
final class FileByteReader {
    /// How much is fetched around a small request; big enough to hold a typical `moov` header run.
    static let windowSize = 4096
    /// Largest single request; callers needing more read in chunks.
    static let maxRequest = 1 << 20

    let fileSize: UInt64
    /// Bytes fetched from the file so far (window refills included).
    private(set) var bytesRead: UInt64 = 0

    private struct Window {
        var start: UInt64
        var bytes: [UInt8]
        func contains(_ offset: UInt64, _ count: Int) -> Bool {
            offset >= start && offset + UInt64(count) <= start + UInt64(bytes.count)
        }
    }

    private let handle: FileHandle
    /// Most recently used first; at most two.
    private var windows: [Window] = []

    init(url: URL) throws {
        handle = try FileHandle(forReadingFrom: url)
        do {
            fileSize = try handle.seekToEnd()
        } catch {
            try? handle.close()
            throw error
        }
    }

    deinit {
        try? handle.close()
    }

    /// Exactly `count` bytes starting at `offset`, or nil when the file ends before that.
    func bytes(at offset: UInt64, count: Int) throws -> BinaryView? {
        guard count >= 0, count <= Self.maxRequest,
              offset <= fileSize, UInt64(count) <= fileSize - offset else { return nil }
        if count == 0 { return BinaryView([]) }
        if let index = windows.firstIndex(where: { $0.contains(offset, count) }) {
            let window = windows[index]
            if index != 0 { windows.swapAt(0, index) }
            let lower = Int(offset - window.start)
            return BinaryView(window.bytes[lower..<(lower + count)])
        }
        let length = Int(min(UInt64(max(count, Self.windowSize)), fileSize - offset))
        try handle.seek(toOffset: offset)
        let data = try handle.read(upToCount: length) ?? Data()
        bytesRead += UInt64(data.count)
        // The file may have shrunk since we measured it.
        guard data.count >= count else { return nil }
        windows.insert(Window(start: offset, bytes: [UInt8](data)), at: 0)
        if windows.count > 2 { windows.removeLast() }
        return BinaryView(windows[0].bytes[0..<count])
    }

    /// One byte at `offset`, or nil past the end.
    func byte(at offset: UInt64) throws -> UInt8? {
        try bytes(at: offset, count: 1)?.uint8(at: 0)
    }
}
