import Foundation

/// A ZIP archive opened for reading under `ContainerLimits`: every entry's declared size is
/// checked from the central directory when opening (before anything is inflated), and each
/// inflation counts bytes and stops the moment a cap or the declared size is crossed.
/// Entry names are only ever used as lookup keys, never as file-system paths.
struct BoundedZip {
    struct EntryInfo: Sendable, Equatable {
        let name: String
        let uncompressedSize: UInt64
        let compressedSize: UInt64
    }

    private let zip: ZipFile
    private let limits: ContainerLimits
    /// Entries in archive order.
    let entries: [EntryInfo]

    init(fileAt url: URL, limits: ContainerLimits) throws {
        guard Self.startsWithZipSignature(url) else {
            if CompoundFile.looksLikeCompoundFile(url),
               let compound = try? CompoundFile(fileAt: url), compound.rootEntryNames.contains("EncryptedPackage") {
                throw ContainerError.encrypted
            }
            throw ContainerError.notAZip
        }
        let zip: ZipFile
        do {
            zip = try ZipFile(fileAt: url, maxEntries: limits.maxEntries)
        } catch ZipFile.Failure.tooManyEntries {
            throw ContainerError.tooManyEntries
        } catch {
            throw ContainerError.notAZip
        }
        var infos: [EntryInfo] = []
        var total: UInt64 = 0
        for entry in zip.entries {
            let name = entry.name
            let info = EntryInfo(name: name, uncompressedSize: entry.uncompressedSize, compressedSize: entry.compressedSize)
            try Self.checkDeclared(info, limits: limits)
            let (sum, overflow) = total.addingReportingOverflow(info.uncompressedSize)
            guard !overflow, sum <= limits.maxTotalUncompressed else { throw ContainerError.tooLarge }
            total = sum
            infos.append(info)
        }
        self.zip = zip
        self.limits = limits
        self.entries = infos
    }

    func contains(_ name: String) -> Bool { zip.entry(named: name) != nil }

    /// The inflated bytes of one entry, or nil when there is no such entry.
    func data(of name: String) throws -> Data? {
        guard let entry = zip.entry(named: name) else { return nil }
        let declared = entry.uncompressedSize
        let cap = min(declared, limits.maxEntryUncompressed)
        var result = Data()
        result.reserveCapacity(Int(min(cap, 16 << 20)))  // the header may lie; grow past this only as bytes arrive
        do {
            try zip.read(entry, cap: cap) { result.append($0) }
        } catch ZipFile.Failure.overCap {
            throw declared > limits.maxEntryUncompressed ? ContainerError.tooLarge : ContainerError.sizeMismatch(entry: entry.name)
        } catch ZipFile.Failure.sizeMismatch {
            throw ContainerError.sizeMismatch(entry: entry.name)
        } catch ZipFile.Failure.checksumMismatch {
            // A flipped bit can still inflate cleanly, to other bytes; only the CRC-32 tells.
            throw ContainerError.checksumMismatch(entry: entry.name)
        } catch ZipFile.Failure.encrypted {
            throw ContainerError.encrypted
        } catch {
            throw ContainerError.malformedPart(entry.name)
        }
        return result
    }

    private static func checkDeclared(_ info: EntryInfo, limits: ContainerLimits) throws {
        if info.uncompressedSize > limits.ratioFloor {
            // A zero compressed size with a large declared size is as suspicious as it gets.
            let compressed = max(info.compressedSize, 1)
            if info.uncompressedSize / compressed > limits.maxRatio {
                throw ContainerError.suspiciousRatio(entry: info.name)
            }
        }
        if info.uncompressedSize > limits.maxEntryUncompressed { throw ContainerError.tooLarge }
    }

    private static func startsWithZipSignature(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4), head.count == 4 else { return false }
        // "PK\u{3}\u{4}" (a local header) or "PK\u{5}\u{6}" (an empty archive).
        return head[head.startIndex] == 0x50 && head[head.startIndex + 1] == 0x4B
            && (head[head.startIndex + 2] == 0x03 || head[head.startIndex + 2] == 0x05)
    }
}
