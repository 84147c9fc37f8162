import CArchive
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One libarchive read handle, confined to the call that opened it.
final class LibarchiveSession {
    private let handle: OpaquePointer

    init(url: URL) throws {
        guard let handle = archive_read_new() else { throw ArchiveReaderError.unreadable("libarchive allocation failed") }
        self.handle = handle
        // Only the formats units send; no "all", which would take mtree text or ISO images.
        archive_read_support_format_zip(handle)
        archive_read_support_format_rar(handle)
        archive_read_support_format_rar5(handle)
        archive_read_support_format_7zip(handle)
        archive_read_support_format_tar(handle)
        archive_read_support_filter_gzip(handle)
        archive_read_support_filter_bzip2(handle)
        archive_read_support_filter_xz(handle)
        guard archive_read_open_filename(handle, url.path, 64 * 1024) == ARCHIVE_OK else {
            throw ArchiveReaderError.unreadable(errorText)
        }
    }

    deinit { archive_read_free(handle) }

    var errorText: String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
    }

    /// Bytes read from the archive file so far, to measure what an entry consumed.
    var compressedBytesConsumed: Int { Int(archive_filter_bytes(handle, -1)) }

    /// The next entry header, nil at the end.
    func nextHeader() throws -> OpaquePointer? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        switch status {
        case ARCHIVE_OK, ARCHIVE_WARN: return entry
        case ARCHIVE_EOF: return nil
        default: throw failure()
        }
    }

    func skipData() throws {
        let status = archive_read_data_skip(handle)
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN || status == ARCHIVE_EOF else { throw failure() }
    }

    /// Fills `buffer` with the next decompressed bytes of the current entry; 0 at its end.
    func readData(into buffer: inout [UInt8]) throws -> Int {
        let count = buffer.withUnsafeMutableBytes { archive_read_data(handle, $0.baseAddress, $0.count) }
        guard count >= 0 else { throw failure() }
        return count
    }

    /// An error is "encrypted" when libarchive found encryption it cannot read (7z -mhe headers,
    /// ZipCrypto/AES data without a passphrase), else "unreadable".
    private func failure() -> ArchiveReaderError {
        let text = errorText
        let mentionsEncryption = ["encrypt", "passphrase", "password"].contains { text.lowercased().contains($0) }
        if archive_read_has_encrypted_entries(handle) > 0 || mentionsEncryption { return .encrypted }
        return .unreadable(text)
    }

    static func describe(_ entry: OpaquePointer) -> ArchiveEntry {
        ArchiveEntry(name: name(of: entry),
                     size: archive_entry_size_is_set(entry) != 0 ? max(0, Int(archive_entry_size(entry))) : 0,
                     isEncrypted: archive_entry_is_encrypted(entry) != 0,
                     kind: kind(of: entry))
    }

    /// The stored name bytes as libarchive hands them over (UTF-8 for 7z/RAR5/flagged zips under
    /// the UTF-8 locale below, raw bytes for unflagged zips), then decoded.
    private static func name(of entry: OpaquePointer) -> String {
        if let raw = archive_entry_pathname(entry) {
            let length = strlen(raw)
            return raw.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                LegacyTextDecoding.decode(UnsafeBufferPointer(start: bytes, count: length))
            }
        }
        return archive_entry_pathname_utf8(entry).map { String(cString: $0).precomposedStringWithCanonicalMapping } ?? ""
    }

    private static let fileTypeMask: UInt32 = 0o170000

    private static func kind(of entry: OpaquePointer) -> ArchiveEntry.Kind {
        if archive_entry_hardlink(entry) != nil { return .hardLink }
        switch UInt32(archive_entry_filetype(entry)) & fileTypeMask {
        case 0o100000: return .file
        case 0o040000: return .directory
        case 0o120000: return .symbolicLink
        default: return .other
        }
    }

    /// Runs `body` with this thread's character type set to UTF-8, so libarchive converts 7z and
    /// flagged zip names to UTF-8 instead of failing on the C locale. `uselocale` is per thread:
    /// nothing global changes.
    static func withUTF8Names<T>(_ body: () throws -> T) rethrows -> T {
        guard let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) else { return try body() }
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        return try body()
    }
}
