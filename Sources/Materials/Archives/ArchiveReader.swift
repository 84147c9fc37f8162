import CArchive
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Caps that keep an archive from filling the disk or the queue. Every number is configuration.
public struct ArchiveLimits: Sendable, Equatable, Codable {
    /// Entries of any kind (files, folders, links) in one archive.
    public var maxEntries: Int
    /// Bytes written out in all, counted as they are decompressed (declared sizes can lie).
    public var maxTotalBytes: Int
    /// Uncompressed bytes per compressed byte, for one entry and for the whole archive.
    public var maxCompressionRatio: Int
    /// The ratio is judged only past this many bytes: small text files compress wildly.
    public var ratioThresholdBytes: Int
    /// How many archives deep the caller may go (0: the mail's own attachment; 1: an archive in it).
    public var maxNestingDepth: Int

    public init(maxEntries: Int = 1000, maxTotalBytes: Int = 2 << 30, maxCompressionRatio: Int = 200,
                ratioThresholdBytes: Int = 4 << 20, maxNestingDepth: Int = 2) {
        self.maxEntries = maxEntries
        self.maxTotalBytes = maxTotalBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioThresholdBytes = ratioThresholdBytes
        self.maxNestingDepth = maxNestingDepth
    }

    public static let standard = ArchiveLimits()
}

/// One entry as the archive lists it. `name` is data, never a path on our disk.
public struct ArchiveEntry: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable {
        case file, directory, symbolicLink, hardLink, other
    }

    /// The stored name, decoded (UTF-8, else GB18030) and normalised to NFC.
    public var name: String
    /// The declared uncompressed size (0 when the archive does not say).
    public var size: Int
    public var isEncrypted: Bool
    public var kind: Kind

    public init(name: String, size: Int, isEncrypted: Bool, kind: Kind) {
        self.name = name
        self.size = size
        self.isEncrypted = isEncrypted
        self.kind = kind
    }

    /// The part after the last "/" or "\" (zips from Windows use either), for display and matching.
    public var lastComponent: String {
        name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? name
    }
}

/// A regular file written out of an archive.
public struct ExtractedEntry: Sendable, Equatable, Codable {
    public var name: String
    /// `directory/entry-NNN`: numbered, never derived from the name.
    public var localURL: URL
    /// Bytes actually written.
    public var size: Int

    public init(name: String, localURL: URL, size: Int) {
        self.name = name
        self.localURL = localURL
        self.size = size
    }
}

public struct ArchiveExtraction: Sendable, Equatable, Codable {
    public var files: [ExtractedEntry]
    /// Links, devices and other non-files, not written out.
    public var skipped: [ArchiveEntry]
}

public enum ArchiveReaderError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String)
    case encrypted
    case tooManyEntries(limit: Int)
    case tooLarge(limit: Int)
    case compressionRatio(entry: String, limit: Int)
    case nestedTooDeep(depth: Int, limit: Int)
    case cannotWrite(String)

    public var description: String {
        switch self {
        case .unreadable(let detail): "archive cannot be read: \(detail)"
        case .encrypted: "archive is encrypted"
        case .tooManyEntries(let limit): "archive has more than \(limit) entries"
        case .tooLarge(let limit): "archive expands to more than \(limit) bytes"
        case .compressionRatio(let entry, let limit): "entry \(entry.debugDescription) compresses more than \(limit):1"
        case .nestedTooDeep(let depth, let limit): "archive nested \(depth) deep, more than \(limit)"
        case .cannotWrite(let detail): "cannot write extracted file: \(detail)"
        }
    }

    /// The `attachment.unsafe` reason behind the error; nil for a merely unreadable archive.
    public var unsafeReason: UnsafeReason? {
        switch self {
        case .encrypted: .encryptedArchive
        case .tooManyEntries, .tooLarge, .compressionRatio: .archiveBomb(description)
        case .nestedTooDeep: .nestedTooDeep
        case .unreadable, .cannotWrite: nil
        }
    }
}

/// Lists and extracts zip (incl. GBK names), RAR4/RAR5, 7z and tar(.gz/.bz2/.xz) through libarchive,
/// within `ArchiveLimits`. Nested archives are the caller's to recurse into, passing `depth`.
public enum ArchiveReader {
    /// Whether the bytes start like an archive this reader handles, so the caller knows to recurse.
    public static func looksLikeArchive(header: some Collection<UInt8>) -> Bool {
        let bytes = Array(header.prefix(512))
        let magics: [[UInt8]] = [
            [0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06],        // zip, empty zip
            [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07],                      // Rar!
            [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C],                      // 7z
            [0x1F, 0x8B], [0x42, 0x5A, 0x68], [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], // gz, bz2, xz
        ]
        if magics.contains(where: { bytes.starts(with: $0) }) { return true }
        return bytes.count >= 262 && Array(bytes[257..<262]) == Array("ustar".utf8)
    }

    /// The entries as declared, without extracting. Encrypted entries are flagged; an archive whose
    /// very listing is encrypted (7z `-mhe`) throws `.encrypted`.
    public static func list(fileAt url: URL, limits: ArchiveLimits = .standard, depth: Int = 0) throws -> [ArchiveEntry] {
        try checkDepth(depth, limits)
        return try LibarchiveSession.withUTF8Names {
            let session = try LibarchiveSession(url: url)
            var entries: [ArchiveEntry] = []
            var declaredTotal = 0
            while let header = try session.nextHeader() {
                let entry = LibarchiveSession.describe(header)
                entries.append(entry)
                guard entries.count <= limits.maxEntries else { throw ArchiveReaderError.tooManyEntries(limit: limits.maxEntries) }
                declaredTotal += entry.size
                guard declaredTotal <= limits.maxTotalBytes else { throw ArchiveReaderError.tooLarge(limit: limits.maxTotalBytes) }
                try session.skipData()
            }
            return entries
        }
    }

    /// Writes each regular file to `directory/entry-NNN` (001, 002 …) and returns them with their
    /// stored names. Never writes more than `limits.maxTotalBytes`; on any error, removes what it wrote.
    public static func extract(fileAt url: URL, into directory: URL, limits: ArchiveLimits = .standard,
                               depth: Int = 0) throws -> ArchiveExtraction {
        try checkDepth(depth, limits)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ArchiveReaderError.cannotWrite("\(error)")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let archiveSize = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        var writer = BoundedExtraction(directory: directory, limits: limits, archiveSize: archiveSize)
        do {
            try LibarchiveSession.withUTF8Names {
                let session = try LibarchiveSession(url: url)
                var entryCount = 0
                while let header = try session.nextHeader() {
                    entryCount += 1
                    guard entryCount <= limits.maxEntries else { throw ArchiveReaderError.tooManyEntries(limit: limits.maxEntries) }
                    let entry = LibarchiveSession.describe(header)
                    switch entry.kind {
                    case .file:
                        if entry.isEncrypted { throw ArchiveReaderError.encrypted }
                        try writer.write(entry, from: session)
                    case .directory:
                        try session.skipData()
                    case .symbolicLink, .hardLink, .other:
                        writer.skipped.append(entry)
                        try session.skipData()
                    }
                }
            }
        } catch {
            writer.removeWrittenFiles()
            throw error
        }
        return ArchiveExtraction(files: writer.files, skipped: writer.skipped)
    }

    private static func checkDepth(_ depth: Int, _ limits: ArchiveLimits) throws {
        guard depth <= limits.maxNestingDepth else {
            throw ArchiveReaderError.nestedTooDeep(depth: depth, limit: limits.maxNestingDepth)
        }
    }
}
