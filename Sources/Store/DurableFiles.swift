import Crypto
import Foundation

/// File operations that survive a crash: write to a temporary name, fsync, rename into place,
/// fsync the directory. Every failure is a thrown error naming the path.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

enum DurableFiles {
    static func check(_ result: Int32, _ what: String, _ path: String) throws {
        if result != 0 { throw StoreError("\(what) \(path): \(String(cString: strerror(errno)))") }
    }

    static func makeDirectory(_ url: URL) throws {
        if FileManager.default.fileExists(atPath: url.path) { return }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try syncDirectory(url.deletingLastPathComponent())
    }

    static func syncDirectory(_ url: URL) throws {
        let descriptor = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StoreError("cannot open directory \(url.path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        try check(fsync(descriptor), "cannot fsync", url.path)
    }

    static func syncFile(_ url: URL) throws {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StoreError("cannot open \(url.path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        try check(fsync(descriptor), "cannot fsync", url.path)
    }

    /// Moves `source` to `destination` unless a file is already there (content-addressed names:
    /// the same name means the same bytes), then makes the result durable.
    static func install(_ source: URL, at destination: URL) throws {
        try makeDirectory(destination.deletingLastPathComponent())
        if FileManager.default.fileExists(atPath: destination.path) {
            try? FileManager.default.removeItem(at: source)
            return
        }
        try syncFile(source)
        try check(rename(source.path, destination.path), "cannot rename into", destination.path)
        try syncDirectory(destination.deletingLastPathComponent())
    }

    /// Copies a file in 1 MiB chunks into `destination` (created exclusively), hashing on the way.
    static func copyHashing(_ source: URL, to destination: URL) throws -> (sha256: String, size: Int64) {
        guard let input = FileHandle(forReadingAtPath: source.path) else {
            throw StoreError("cannot read \(source.path)")
        }
        defer { try? input.close() }
        let descriptor = open(destination.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw StoreError("cannot create \(destination.path): \(String(cString: strerror(errno)))") }
        let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            try output.write(contentsOf: chunk)
            size += Int64(chunk.count)
        }
        try output.synchronize()
        try output.close()
        return (Hex.string(hasher.finalize()), size)
    }
}
