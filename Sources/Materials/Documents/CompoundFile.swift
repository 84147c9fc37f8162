import Foundation

/// A read-only parser of the OLE Compound File Binary format ([MS-CFB]), the container of legacy
/// .doc/.wps/.xls files and of password-protected OOXML. Only what the readers need: the names of
/// the root storage's children and the bytes of a root-level stream. Every sector chain is checked
/// for loops and bounds, so a damaged or hostile file throws instead of hanging or trapping.
struct CompoundFile {
    enum Failure: Error, Equatable, Sendable {
        case notACompoundFile
        case tooLarge
        case malformed(String)
    }

    private struct DirectoryEntry {
        let name: String
        let objectType: UInt8  // 1 storage, 2 stream, 5 root
        let left: UInt32
        let right: UInt32
        let child: UInt32
        let startSector: UInt32
        let size: UInt64
    }

    static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    private static let endOfChain: UInt32 = 0xFFFF_FFFE
    private static let noStream: UInt32 = 0xFFFF_FFFF

    private let file: LittleEndianBytes
    private let sectorSize: Int
    private let miniSectorSize: Int
    private let miniStreamCutoff: UInt64
    private let fat: [UInt32]
    private let miniFat: [UInt32]
    private let directory: [DirectoryEntry]
    private let miniStream: [UInt8]

    static func looksLikeCompoundFile(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 8) else { return false }
        return [UInt8](head) == signature
    }

    init(fileAt url: URL, maxBytes: Int = 100 << 20) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maxBytes else { throw Failure.tooLarge }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw Failure.notACompoundFile }
        try self.init(bytes: [UInt8](data))
    }

    init(bytes: [UInt8]) throws {
        guard bytes.count >= 512, Array(bytes[0..<8]) == Self.signature else { throw Failure.notACompoundFile }
        let file = LittleEndianBytes(bytes)
        self.file = file
        do {
            let majorVersion = try file.u16(at: 0x1A)
            let sectorShift = try file.u16(at: 0x1E)
            let miniShift = try file.u16(at: 0x20)
            guard sectorShift == 9 || sectorShift == 12, miniShift == 6 else {
                throw Failure.malformed("unsupported sector size")
            }
            let sectorSize = 1 << Int(sectorShift)
            self.sectorSize = sectorSize
            self.miniSectorSize = 1 << Int(miniShift)
            self.miniStreamCutoff = UInt64(try file.u32(at: 0x38))

            let fat = try Self.readFAT(file, sectorSize: sectorSize)
            self.fat = fat
            let directoryBytes = try Self.chainBytes(file, start: try file.u32(at: 0x30), table: fat,
                                                     unitSize: sectorSize, unitOffset: { ($0 + 1) * sectorSize })
            self.directory = try Self.parseDirectory(directoryBytes, isVersion3: majorVersion == 3)
            guard let root = directory.first, root.objectType == 5 else { throw Failure.malformed("no root entry") }

            let miniFatBytes = try Self.chainBytes(file, start: try file.u32(at: 0x3C), table: fat,
                                                   unitSize: sectorSize, unitOffset: { ($0 + 1) * sectorSize })
            self.miniFat = Self.u32Array(miniFatBytes)
            var mini = try Self.chainBytes(file, start: root.startSector, table: fat, unitSize: sectorSize,
                                           unitOffset: { ($0 + 1) * sectorSize })
            if UInt64(mini.count) > root.size { mini.removeLast(mini.count - Int(root.size)) }
            self.miniStream = mini
        } catch is LittleEndianBytes.OutOfBounds {
            throw Failure.malformed("structure points outside the file")
        }
    }

    /// Names of the streams and storages directly under the root ("WordDocument", "Macros", …).
    var rootEntryNames: [String] {
        guard let root = directory.first else { return [] }
        return childIndices(of: root).map { directory[$0].name }
    }

    /// The bytes of a stream directly under the root, or nil when there is none of that name.
    func stream(named name: String) throws -> [UInt8]? {
        guard let root = directory.first,
              let index = childIndices(of: root).first(where: {
                  directory[$0].objectType == 2 && directory[$0].name.caseInsensitiveCompare(name) == .orderedSame
              })
        else { return nil }
        let entry = directory[index]
        guard entry.size <= UInt64(file.count) else { throw Failure.malformed("stream larger than the file") }
        var bytes: [UInt8]
        do {
            if entry.size < miniStreamCutoff {
                let mini = LittleEndianBytes(miniStream)
                let unit = miniSectorSize
                bytes = try Self.chainBytes(mini, start: entry.startSector, table: miniFat, unitSize: unit,
                                            unitOffset: { $0 * unit })
            } else {
                let unit = sectorSize
                bytes = try Self.chainBytes(file, start: entry.startSector, table: fat, unitSize: unit,
                                            unitOffset: { ($0 + 1) * unit })
            }
        } catch is LittleEndianBytes.OutOfBounds {
            throw Failure.malformed("stream points outside the file")
        }
        guard UInt64(bytes.count) >= entry.size else { throw Failure.malformed("stream \(name) is truncated") }
        bytes.removeLast(bytes.count - Int(entry.size))
        return bytes
    }

    // MARK: Structure

    /// Indices of a storage's children: its `child` entry and that entry's red-black siblings.
    private func childIndices(of storage: DirectoryEntry) -> [Int] {
        var result: [Int] = []
        var visited = Set<UInt32>()
        var pending = [storage.child]
        while let id = pending.popLast() {
            guard id != Self.noStream, Int(id) < directory.count, visited.insert(id).inserted else { continue }
            result.append(Int(id))
            pending.append(directory[Int(id)].left)
            pending.append(directory[Int(id)].right)
        }
        return result.sorted()
    }

    private static func readFAT(_ file: LittleEndianBytes, sectorSize: Int) throws -> [UInt32] {
        let fatSectorCount = Int(try file.u32(at: 0x2C))
        let maxSectors = file.count / sectorSize + 1
        guard fatSectorCount <= maxSectors else { throw Failure.malformed("FAT larger than the file") }
        var fatSectors: [UInt32] = []
        for i in 0..<109 where fatSectors.count < fatSectorCount {
            fatSectors.append(try file.u32(at: 0x4C + 4 * i))
        }
        // Further FAT sector numbers live in the DIFAT chain; its last slot links to the next sector.
        var difatSector = try file.u32(at: 0x44)
        var hops = 0
        while fatSectors.count < fatSectorCount, difatSector < 0xFFFF_FFFA {
            hops += 1
            guard hops <= maxSectors else { throw Failure.malformed("DIFAT loop") }
            let base = (Int(difatSector) + 1) * sectorSize
            let slots = sectorSize / 4 - 1
            for i in 0..<slots where fatSectors.count < fatSectorCount {
                fatSectors.append(try file.u32(at: base + 4 * i))
            }
            difatSector = try file.u32(at: base + 4 * slots)
        }
        var fat: [UInt32] = []
        fat.reserveCapacity(fatSectors.count * sectorSize / 4)
        for sector in fatSectors {
            let base = (Int(sector) + 1) * sectorSize
            fat.append(contentsOf: u32Array(Array(try file.slice(at: base, count: sectorSize))))
        }
        return fat
    }

    /// Concatenates the units (sectors or mini sectors) of a chain, refusing loops and strays.
    private static func chainBytes(_ source: LittleEndianBytes, start: UInt32, table: [UInt32], unitSize: Int,
                                   unitOffset: (Int) -> Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var current = start
        var steps = 0
        while current != endOfChain {
            guard current < 0xFFFF_FFFA else {
                if steps == 0 { return [] }  // an empty stream starts at FREESECT/ENDOFCHAIN
                throw Failure.malformed("chain ends in a special sector")
            }
            guard Int(current) < table.count else { throw Failure.malformed("chain leaves the allocation table") }
            steps += 1
            // No honest chain has more units than its source holds: this bounds loops and memory.
            guard steps <= source.count / unitSize + 1 else { throw Failure.malformed("sector chain loops") }
            let offset = unitOffset(Int(current))
            // The file's last sector may be cut short by some writers; take what is there.
            let available = min(unitSize, max(0, source.count - offset))
            guard available > 0 else { throw Failure.malformed("sector outside the file") }
            bytes.append(contentsOf: try source.slice(at: offset, count: available))
            current = table[Int(current)]
        }
        return bytes
    }

    private static func parseDirectory(_ bytes: [UInt8], isVersion3: Bool) throws -> [DirectoryEntry] {
        let table = LittleEndianBytes(bytes)
        var entries: [DirectoryEntry] = []
        var offset = 0
        while offset + 128 <= bytes.count {
            let nameLength = min(Int(try table.u16(at: offset + 0x40)), 64)
            var units: [UInt16] = []
            var i = 0
            while i + 1 < nameLength {
                let unit = try table.u16(at: offset + i)
                if unit == 0 { break }
                units.append(unit)
                i += 2
            }
            let sizeLow = UInt64(try table.u32(at: offset + 0x78))
            let sizeHigh = UInt64(try table.u32(at: offset + 0x7C))
            entries.append(DirectoryEntry(
                name: String(decoding: units, as: UTF16.self),
                objectType: try table.u8(at: offset + 0x42),
                left: try table.u32(at: offset + 0x44),
                right: try table.u32(at: offset + 0x48),
                child: try table.u32(at: offset + 0x4C),
                startSector: try table.u32(at: offset + 0x74),
                size: isVersion3 ? sizeLow : (sizeHigh << 32 | sizeLow)))
            offset += 128
        }
        return entries
    }

    private static func u32Array(_ bytes: [UInt8]) -> [UInt32] {
        stride(from: 0, to: bytes.count - 3, by: 4).map {
            UInt32(bytes[$0]) | UInt32(bytes[$0 + 1]) << 8 | UInt32(bytes[$0 + 2]) << 16 | UInt32(bytes[$0 + 3]) << 24
        }
    }
}
