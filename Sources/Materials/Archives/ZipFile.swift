import CArchive
import Foundation

/// A ZIP file read by hand: the central directory (with ZIP64 sizes and offsets) and, for one
/// entry at a time, its stored or deflated bytes through zlib.
///
/// Why not a ZIP library: ZIPFoundation's inflate loop never ends on a deflate stream that does
/// not finish within the entry's compressed size (found by fuzzing, Fuzz/findings/xlsx). Here
/// the input handed to zlib is exactly the compressed size, every call to `inflate` must make
/// progress, and the output stops at a cap — so reading an entry always ends, in time linear in
/// what it reads.
struct ZipFile {
    struct Entry: Sendable, Equatable {
        let name: String
        let flags: UInt16
        let method: UInt16
        let crc32: UInt32
        let compressedSize: UInt64
        let uncompressedSize: UInt64
        let localHeaderOffset: UInt64

        var isEncrypted: Bool { flags & 1 != 0 }
    }

    enum Failure: Error, Equatable {
        /// No end-of-central-directory record: not a ZIP file.
        case notAZip
        case tooManyEntries
        /// The central directory or a local header contradicts itself or the file's size.
        case malformed(String)
        case encrypted(entry: String)
        /// Neither stored (0) nor deflated (8).
        case unsupportedMethod(entry: String, method: UInt16)
        /// The deflate stream is broken or does not end within the compressed size.
        case badDeflate(entry: String)
        /// More bytes came out than `cap` allows.
        case overCap(entry: String)
        /// The stream ended at another length than the directory declares.
        case sizeMismatch(entry: String)
        case checksumMismatch(entry: String)
    }

    let entries: [Entry]
    /// Part name as OPC compares it (case-insensitive, no leading "/") → its first entry.
    private let entryByKey: [String: Entry]
    private let handle: FileHandle
    private let fileSize: UInt64

    init(fileAt url: URL, maxEntries: Int) throws {
        guard let handle = try? FileHandle(forReadingFrom: url) else { throw Failure.notAZip }
        self.handle = handle
        fileSize = (try? handle.seekToEnd()) ?? 0
        let directory = try Self.endOfCentralDirectory(handle, fileSize: fileSize)
        guard directory.entryCount <= UInt64(maxEntries) else { throw Failure.tooManyEntries }
        guard directory.offset <= fileSize, directory.size <= fileSize - directory.offset else {
            throw Failure.malformed("central directory lies outside the file")
        }
        // The directory's size is bounded by the file's; 46 bytes per entry at the least.
        guard directory.entryCount <= directory.size / 46 + 1 else { throw Failure.malformed("entry count exceeds directory size") }
        let bytes = try Self.read(handle, at: directory.offset, count: directory.size)
        entries = try Self.parseCentralDirectory(bytes, count: Int(directory.entryCount))
        entryByKey = Dictionary(entries.map { (Self.key($0.name), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The entry of an OOXML part, by its name as a relationship or content type gives it.
    func entry(named name: String) -> Entry? { entryByKey[Self.key(name)] }

    /// Part names in OOXML may start with "/" ([Content_Types].xml) while ZIP names do not, and
    /// compare case-insensitively.
    static func key(_ name: String) -> String {
        (name.hasPrefix("/") ? String(name.dropFirst()) : name).lowercased()
    }

    /// Inflates `entry`, passing chunks to `consume`; checks the declared size and the CRC-32.
    func read(_ entry: Entry, cap: UInt64, consume: (Data) throws -> Void) throws {
        if entry.isEncrypted { throw Failure.encrypted(entry: entry.name) }
        let start = try dataOffset(of: entry)
        guard start <= fileSize, entry.compressedSize <= fileSize - start else {
            throw Failure.malformed("entry \(entry.name) runs past the end of the file")
        }
        var produced: UInt64 = 0
        var checksum: UInt = 0
        let emit: (UnsafeBufferPointer<UInt8>) throws -> Void = { chunk in
            guard chunk.count > 0 else { return }
            produced += UInt64(chunk.count)
            guard produced <= cap else { throw Failure.overCap(entry: entry.name) }
            checksum = CArchive.crc32(checksum, chunk.baseAddress, uInt(chunk.count))
            try consume(Data(buffer: chunk))
        }
        switch entry.method {
        case 0:
            try copyStored(entry, from: start, emit: emit)
        case 8:
            try inflate(entry, from: start, emit: emit)
        default:
            throw Failure.unsupportedMethod(entry: entry.name, method: entry.method)
        }
        guard produced == entry.uncompressedSize else { throw Failure.sizeMismatch(entry: entry.name) }
        guard UInt32(truncatingIfNeeded: checksum) == entry.crc32 else { throw Failure.checksumMismatch(entry: entry.name) }
    }

    private static let chunkSize = 64 << 10

    private func copyStored(_ entry: Entry, from start: UInt64, emit: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var offset = start, remaining = entry.compressedSize
        while remaining > 0 {
            let chunk = try Self.read(handle, at: offset, count: min(remaining, UInt64(Self.chunkSize)))
            try chunk.withUnsafeBytes { try emit($0.bindMemory(to: UInt8.self)) }
            offset += UInt64(chunk.count)
            remaining -= UInt64(chunk.count)
        }
    }

    private func inflate(_ entry: Entry, from start: UInt64, emit: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var stream = z_stream()
        guard tuibao_inflate_init_raw(&stream) == Z_OK else { throw Failure.badDeflate(entry: entry.name) }
        defer { inflateEnd(&stream) }
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.chunkSize)
        let output = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.chunkSize)
        defer { input.deallocate(); output.deallocate() }
        var offset = start, remaining = entry.compressedSize
        while true {
            if stream.avail_in == 0 && remaining > 0 {
                let chunk = try Self.read(handle, at: offset, count: min(remaining, UInt64(Self.chunkSize)))
                guard !chunk.isEmpty else { throw Failure.malformed("entry \(entry.name) runs past the end of the file") }
                chunk.copyBytes(to: input, count: chunk.count)
                stream.next_in = input
                stream.avail_in = uInt(chunk.count)
                offset += UInt64(chunk.count)
                remaining -= UInt64(chunk.count)
            }
            stream.next_out = output
            stream.avail_out = uInt(Self.chunkSize)
            let status = CArchive.inflate(&stream, Z_NO_FLUSH)
            try emit(UnsafeBufferPointer(start: output, count: Self.chunkSize - Int(stream.avail_out)))
            switch status {
            case Z_STREAM_END:
                return
            case Z_OK:
                continue  // zlib made progress: consumed input or produced output
            case Z_BUF_ERROR where stream.avail_in == 0 && remaining > 0:
                continue  // wants the next chunk
            default:
                // Z_BUF_ERROR with all input given: the stream does not end within its compressed
                // size (where ZIPFoundation loops forever); or the stream is corrupt.
                throw Failure.badDeflate(entry: entry.name)
            }
        }
    }

    /// Where an entry's data begins: after its local header, whose name and extra field may
    /// differ in length from the central directory's copy.
    private func dataOffset(of entry: Entry) throws -> UInt64 {
        let header = try Self.read(handle, at: entry.localHeaderOffset, count: 30)
        let bytes = [UInt8](header)
        guard bytes.count == 30, Self.uint32(bytes, 0) == 0x0403_4B50 else {
            throw Failure.malformed("entry \(entry.name) has no local header")
        }
        return entry.localHeaderOffset + 30 + UInt64(Self.uint16(bytes, 26)) + UInt64(Self.uint16(bytes, 28))
    }

    // MARK: The central directory

    private struct DirectoryLocation { var entryCount: UInt64; var size: UInt64; var offset: UInt64 }

    private static func endOfCentralDirectory(_ handle: FileHandle, fileSize: UInt64) throws -> DirectoryLocation {
        // The record is 22 bytes plus a comment of at most 65,535; search the tail backwards.
        let tailLength = min(fileSize, 22 + 0xFFFF)
        let tail = [UInt8](try read(handle, at: fileSize - tailLength, count: tailLength))
        guard tail.count >= 22 else { throw Failure.notAZip }
        var position = tail.count - 22
        while uint32(tail, position) != 0x0605_4B50 {
            guard position > 0 else { throw Failure.notAZip }
            position -= 1
        }
        var location = DirectoryLocation(entryCount: UInt64(uint16(tail, position + 10)),
                                         size: UInt64(uint32(tail, position + 12)),
                                         offset: UInt64(uint32(tail, position + 16)))
        // ZIP64: a locator just before the record points at the 64-bit record.
        let recordOffset = fileSize - tailLength + UInt64(position)
        if recordOffset >= 20 {
            let locator = [UInt8](try read(handle, at: recordOffset - 20, count: 20))
            if locator.count == 20, uint32(locator, 0) == 0x0706_4B50 {
                let record = [UInt8](try read(handle, at: uint64(locator, 8), count: 56))
                guard record.count == 56, uint32(record, 0) == 0x0606_4B50 else {
                    throw Failure.malformed("ZIP64 locator points at no ZIP64 record")
                }
                location = DirectoryLocation(entryCount: uint64(record, 32), size: uint64(record, 40), offset: uint64(record, 48))
            }
        }
        return location
    }

    private static func parseCentralDirectory(_ data: Data, count: Int) throws -> [Entry] {
        let bytes = [UInt8](data)
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        var position = 0
        for _ in 0..<count {
            guard position + 46 <= bytes.count, uint32(bytes, position) == 0x0201_4B50 else {
                throw Failure.malformed("central directory entry \(entries.count + 1) is damaged")
            }
            let nameLength = uint16(bytes, position + 28), extraLength = uint16(bytes, position + 30)
            let commentLength = uint16(bytes, position + 32)
            let nameStart = position + 46, extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= bytes.count else { throw Failure.malformed("central directory entry \(entries.count + 1) is cut short") }
            var compressed = UInt64(uint32(bytes, position + 20)), uncompressed = UInt64(uint32(bytes, position + 24))
            var localOffset = UInt64(uint32(bytes, position + 42))
            // ZIP64 extra field (0x0001): the 64-bit values of the fields that read 0xFFFFFFFF, in this order.
            var extra = extraStart
            while extra + 4 <= extraStart + extraLength {
                let id = uint16(bytes, extra), length = uint16(bytes, extra + 2)
                let body = extra + 4
                guard body + length <= extraStart + extraLength else { break }
                if id == 0x0001 {
                    var field = body
                    func next64() -> UInt64? {
                        guard field + 8 <= body + length else { return nil }
                        defer { field += 8 }
                        return uint64(bytes, field)
                    }
                    if uncompressed == 0xFFFF_FFFF { uncompressed = next64() ?? uncompressed }
                    if compressed == 0xFFFF_FFFF { compressed = next64() ?? compressed }
                    if localOffset == 0xFFFF_FFFF { localOffset = next64() ?? localOffset }
                }
                extra = body + length
            }
            entries.append(Entry(
                name: String(decoding: bytes[nameStart..<extraStart], as: UTF8.self),
                flags: UInt16(uint16(bytes, position + 8)),
                method: UInt16(uint16(bytes, position + 10)),
                crc32: UInt32(uint32(bytes, position + 16)),
                compressedSize: compressed,
                uncompressedSize: uncompressed,
                localHeaderOffset: localOffset))
            position = next
        }
        return entries
    }

    // MARK: Little-endian reads

    private static func read(_ handle: FileHandle, at offset: UInt64, count: UInt64) throws -> Data {
        // FileHandle traps on an offset past Int64.max, and a ZIP64 field can say anything.
        guard offset <= UInt64(Int64.max), count <= UInt64(Int32.max) else {
            throw Failure.malformed("offset \(offset) lies outside any file")
        }
        do {
            try handle.seek(toOffset: offset)
            return try handle.read(upToCount: Int(count)) ?? Data()
        } catch {
            throw Failure.malformed("cannot read at byte \(offset)")
        }
    }

    private static func uint16(_ bytes: [UInt8], _ at: Int) -> Int {
        Int(bytes[at]) | Int(bytes[at + 1]) << 8
    }

    private static func uint32(_ bytes: [UInt8], _ at: Int) -> Int {
        uint16(bytes, at) | uint16(bytes, at + 2) << 16
    }

    private static func uint64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        UInt64(uint32(bytes, at)) | UInt64(uint32(bytes, at + 4)) << 32
    }
}
