import Foundation

/// A raw message on disk, named by its SHA-256.
public struct SpooledMessage: Sendable, Hashable {
    public var sha256: String
    public var path: URL
    public var size: Int64
}

/// The spool: every incoming message is written here first, durably, before anything reads it
/// (`spool/ab/<sha256>.eml`). Writing the same bytes twice is harmless: the name is the content.
public struct Spool: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// Copies a message file into the spool.
    public func store(copyOf source: URL) throws -> SpooledMessage {
        let temporary = try temporaryURL()
        do {
            let (sha256, size) = try DurableFiles.copyHashing(source, to: temporary)
            let destination = path(forSHA256: sha256)
            try DurableFiles.install(temporary, at: destination)
            return SpooledMessage(sha256: sha256, path: destination, size: size)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    public func path(forSHA256 sha256: String) -> URL {
        directory.appendingPathComponent(String(sha256.prefix(2)), isDirectory: true)
            .appendingPathComponent(sha256 + ".eml")
    }

    /// A fresh name in `spool/tmp`, on the same file system as the final place (rename is atomic).
    public func temporaryURL() throws -> URL {
        let tmp = directory.appendingPathComponent("tmp", isDirectory: true)
        try DurableFiles.makeDirectory(tmp)
        return tmp.appendingPathComponent(UUID().uuidString)
    }
}

/// Attachments by content: `files/ab/cd/<sha256>`. A name taken from a mail never reaches a path.
public struct FileStore: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public func path(forSHA256 sha256: String) -> URL {
        let characters = Array(sha256)
        return directory.appendingPathComponent(String(characters[0..<2]), isDirectory: true)
            .appendingPathComponent(String(characters[2..<4]), isDirectory: true)
            .appendingPathComponent(sha256)
    }

    /// Moves a decoded attachment (already hashed by the parser) into the store.
    public func adopt(_ file: URL, sha256: String) throws -> URL {
        guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else { throw StoreError("not a SHA-256: \(sha256)") }
        let destination = path(forSHA256: sha256)
        try DurableFiles.install(file, at: destination)
        return destination
    }

    /// Keeps a file another step may still read (a member unpacked from an archive): a hard link
    /// into the store where the file system allows it, else a copy. The source is never moved or
    /// removed; whoever made it cleans it up.
    public func keep(linkOrCopyOf file: URL, sha256: String) throws {
        guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else { throw StoreError("not a SHA-256: \(sha256)") }
        let destination = path(forSHA256: sha256)
        if FileManager.default.fileExists(atPath: destination.path) { return }
        try DurableFiles.makeDirectory(destination.deletingLastPathComponent())
        let temporary = try workDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let staged = temporary.appendingPathComponent("kept")
        if link(file.path, staged.path) != 0 {
            _ = try DurableFiles.copyHashing(file, to: staged)
        }
        try DurableFiles.install(staged, at: destination)
    }

    /// Copies a file from outside (one staff attach by hand) into the store, hashing on the way.
    public func store(copyOf source: URL) throws -> (sha256: String, size: Int64) {
        let work = try workDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let temporary = work.appendingPathComponent("incoming")
        let (sha256, size) = try DurableFiles.copyHashing(source, to: temporary)
        try DurableFiles.install(temporary, at: path(forSHA256: sha256))
        return (sha256, size)
    }

    /// Keeps bytes made here (a scoring sheet we mail): hashed in memory, written once.
    public func store(_ data: Data) throws -> (sha256: String, size: Int64) {
        let sha256 = Hex.sha256(data)
        if !contains(sha256: sha256) {
            let work = try workDirectory()
            defer { try? FileManager.default.removeItem(at: work) }
            let file = work.appendingPathComponent("incoming")
            try data.write(to: file)
            _ = try adopt(file, sha256: sha256)
        }
        return (sha256, Int64(data.count))
    }

    public func contains(sha256: String) -> Bool {
        FileManager.default.fileExists(atPath: path(forSHA256: sha256).path)
    }

    /// A scratch directory for one parse, inside the data directory so adopting is a rename.
    public func workDirectory() throws -> URL {
        let work = directory.deletingLastPathComponent().appendingPathComponent("work", isDirectory: true)
            .appendingPathComponent(UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        return work
    }
}
