/// One ISO-BMFF box as found in the file: where it starts, how big its header is, where it ends.
struct ISOBoxHeader: Sendable, Equatable {
    /// The four-character type, e.g. "moov"; for `uuid` boxes the extended type is in `userType`.
    let type: String
    let offset: UInt64
    /// 8, 16 with a 64-bit largesize, plus 16 for a `uuid` box's extended type.
    let headerSize: UInt64
    let size: UInt64
    let userType: [UInt8]?

    var payloadOffset: UInt64 { offset + headerSize }
    var end: UInt64 { offset + size }
    var payloadSize: UInt64 { size - headerSize }
    var payloadRange: Range<UInt64> { payloadOffset..<end }
}

/// Why a run of boxes could not be read. Probes translate these into their own public errors.
enum ISOBoxError: Error, Equatable {
    /// The box (or its header) runs past the end of the file.
    case truncated(boxType: String, offset: UInt64)
    /// The declared size is impossible (below the header size) or overruns the parent box.
    case invalidSize(boxType: String, offset: UInt64)
    /// More boxes than any sane file has; stops hostile files from keeping us busy.
    case tooManyBoxes
}

/// Lists the boxes inside a byte range, reading only their headers. The walks built on it follow a
/// fixed path (moov/trak/mdia/…), so nesting depth is bounded by code, and the box budget bounds work.
final class ISOBoxScanner {
    /// Enough for hours of 1-second fragments; far beyond any upload we accept.
    static let defaultBoxBudget = 200_000

    let reader: FileByteReader
    private var remainingBoxes: Int

    init(reader: FileByteReader, boxBudget: Int = ISOBoxScanner.defaultBoxBudget) {
        self.reader = reader
        self.remainingBoxes = boxBudget
    }

    /// The boxes of the whole file.
    func topLevelBoxes() throws -> [ISOBoxHeader] {
        try boxes(in: 0..<reader.fileSize, isTopLevel: true)
    }

    /// The child boxes of a container box.
    func children(of box: ISOBoxHeader) throws -> [ISOBoxHeader] {
        try boxes(in: box.payloadRange, isTopLevel: false)
    }

    /// The child boxes of a full box (version and flags come first in the payload), e.g. `meta`.
    func childrenOfFullBox(_ box: ISOBoxHeader) throws -> [ISOBoxHeader] {
        guard box.payloadSize >= 4 else { throw ISOBoxError.invalidSize(boxType: box.type, offset: box.offset) }
        return try boxes(in: (box.payloadOffset + 4)..<box.end, isTopLevel: false)
    }

    /// A box's payload, when it is small enough to hold in memory (headers and property boxes are).
    func payload(of box: ISOBoxHeader, limit: Int = 1 << 16) throws -> BinaryView {
        guard box.payloadSize <= UInt64(limit) else {
            throw ISOBoxError.invalidSize(boxType: box.type, offset: box.offset)
        }
        guard let view = try reader.bytes(at: box.payloadOffset, count: Int(box.payloadSize)) else {
            throw ISOBoxError.truncated(boxType: box.type, offset: box.offset)
        }
        return view
    }

    func boxes(in range: Range<UInt64>, isTopLevel: Bool) throws -> [ISOBoxHeader] {
        var found: [ISOBoxHeader] = []
        var offset = range.lowerBound
        while offset < range.upperBound {
            if range.upperBound - offset < 8 {
                // QuickTime allows a 4-byte zero terminator inside containers; at the top level a
                // partial header means the file was cut.
                if isTopLevel { throw ISOBoxError.truncated(boxType: "", offset: offset) }
                break
            }
            guard remainingBoxes > 0 else { throw ISOBoxError.tooManyBoxes }
            remainingBoxes -= 1
            let header = try readHeader(at: offset, limit: range.upperBound, isTopLevel: isTopLevel)
            found.append(header)
            offset = header.end
        }
        return found
    }

    private func readHeader(at offset: UInt64, limit: UInt64, isTopLevel: Bool) throws -> ISOBoxHeader {
        // Only a top-level box can run past the end of the file; a child overrunning a parent that
        // fits in the file is a size lie.
        let atFileEnd = isTopLevel
        guard let basic = try reader.bytes(at: offset, count: 8),
              let size32 = basic.uint32(at: 0), let type = basic.fourCC(at: 4) else {
            throw ISOBoxError.truncated(boxType: "", offset: offset)
        }
        var headerSize: UInt64 = 8
        var size = UInt64(size32)
        switch size32 {
        case 1:
            // 64-bit largesize follows the type.
            guard offset + 16 <= limit, let large = try reader.bytes(at: offset + 8, count: 8)?.uint64(at: 0) else {
                throw atFileEnd ? ISOBoxError.truncated(boxType: type, offset: offset)
                                : ISOBoxError.invalidSize(boxType: type, offset: offset)
            }
            headerSize = 16
            size = large
        case 0:
            // Runs to the end of the enclosing range (the file, at the top level).
            size = limit - offset
        default:
            break
        }
        var userType: [UInt8]?
        if type == "uuid" {
            headerSize += 16
            if size >= headerSize, let extended = try reader.bytes(at: offset + headerSize - 16, count: 16) {
                userType = Array(extended.bytes)
            }
        }
        guard size >= headerSize else { throw ISOBoxError.invalidSize(boxType: type, offset: offset) }
        // Overflow-safe form of `offset + size > limit`.
        guard size <= limit - offset else {
            throw atFileEnd ? ISOBoxError.truncated(boxType: type, offset: offset)
                            : ISOBoxError.invalidSize(boxType: type, offset: offset)
        }
        return ISOBoxHeader(type: type, offset: offset, headerSize: headerSize, size: size, userType: userType)
    }
}

extension Array where Element == ISOBoxHeader {
    func first(ofType type: String) -> ISOBoxHeader? { first { $0.type == type } }
    func all(ofType type: String) -> [ISOBoxHeader] { filter { $0.type == type } }
}
