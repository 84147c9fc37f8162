import Foundation

/// A file carried inside an Outlook winmail.dat.
public struct TNEFAttachment: Sendable, Equatable {
    /// The long file name when Outlook gave one (PR_ATTACH_LONG_FILENAME), else the short title;
    /// "" when the stream names none. Data, never a path.
    public var name: String
    public var data: Data

    public init(name: String, data: Data) {
        self.name = name
        self.data = data
    }
}

public enum TNEFError: Error, Sendable, Equatable, CustomStringConvertible {
    case notTNEF
    case truncated(offset: Int)
    case tooLarge(limit: Int)

    public var description: String {
        switch self {
        case .notTNEF: "not a TNEF stream (winmail.dat)"
        case .truncated(let offset): "TNEF stream ends inside an attribute at byte \(offset)"
        case .tooLarge(let limit): "TNEF attachments exceed \(limit) bytes"
        }
    }
}

/// Reads the attachments out of a TNEF stream (application/ms-tnef, winmail.dat): the legacy
/// attributes (attAttachTitle, attAttachData) and the MAPI properties of attAttachment, whose
/// Unicode long file name wins over the 8.3 title.
public enum TNEFReader {
    static let signature: UInt32 = 0x223E_9F78

    // Attribute ids: the low word names the attribute, the high word its type.
    static let attAttachRenddata: UInt32 = 0x0006_9002
    static let attAttachTitle: UInt32 = 0x0001_8010
    static let attAttachData: UInt32 = 0x0006_800F
    static let attAttachment: UInt32 = 0x0006_9005
    static let levelAttachment: UInt8 = 0x02

    public static func isTNEF(_ header: some Collection<UInt8>) -> Bool {
        let bytes = Array(header.prefix(4))
        return bytes.count == 4 && TNEFBytes(bytes).uint32(at: 0) == signature
    }

    /// Attachments in stream order; those that carry no data (by reference) are left out.
    public static func attachments(in data: Data, maxTotalBytes: Int = 256 << 20) throws -> [TNEFAttachment] {
        let bytes = TNEFBytes([UInt8](data))
        guard bytes.count >= 6, bytes.uint32(at: 0) == signature else { throw TNEFError.notTNEF }

        var attachments: [PartialAttachment] = []
        var offset = 6 // signature and legacy key
        while offset < bytes.count {
            // level (1), id (4), length (4), data, checksum (2)
            guard let level = bytes.uint8(at: offset), let id = bytes.uint32(at: offset + 1),
                  let length = bytes.uint32(at: offset + 5) else { throw TNEFError.truncated(offset: offset) }
            let start = offset + 9
            guard Int(length) <= bytes.count - start else { throw TNEFError.truncated(offset: offset) }
            let end = start + Int(length)
            offset = end + 2 // the checksum is not verified: writers get it wrong and it guards nothing

            guard level == levelAttachment else { continue }
            if id == attAttachRenddata || attachments.isEmpty { attachments.append(PartialAttachment()) }
            let value = start..<end
            switch id {
            case attAttachTitle:
                attachments[attachments.count - 1].title = LegacyTextDecoding.decode(bytes.slice(value).trimmingTrailingNULs())
            case attAttachData:
                attachments[attachments.count - 1].data = bytes.slice(value)
            case attAttachment:
                let properties = MAPIPropertyReader.attachmentProperties(bytes.slice(value))
                attachments[attachments.count - 1].merge(properties)
            default:
                break
            }
        }

        var result: [TNEFAttachment] = []
        var total = 0
        for attachment in attachments {
            guard let data = attachment.data else { continue }
            total += data.count
            guard total <= maxTotalBytes else { throw TNEFError.tooLarge(limit: maxTotalBytes) }
            result.append(TNEFAttachment(name: attachment.name, data: Data(data)))
        }
        return result
    }

    private struct PartialAttachment {
        var title: String?
        var longName: String?
        var shortName: String?
        var displayName: String?
        var data: [UInt8]?

        var name: String { [longName, title, shortName, displayName].compactMap { $0 }.first { !$0.isEmpty } ?? "" }

        mutating func merge(_ properties: MAPIPropertyReader.AttachmentProperties) {
            longName = properties.longFileName ?? longName
            shortName = properties.fileName ?? shortName
            displayName = properties.displayName ?? displayName
            if data == nil { data = properties.data }
        }
    }
}

/// Little-endian reads that return nil instead of trapping past the end.
struct TNEFBytes {
    private let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var count: Int { bytes.count }

    func uint8(at offset: Int) -> UInt8? {
        offset >= 0 && offset < bytes.count ? bytes[offset] : nil
    }

    func uint16(at offset: Int) -> UInt16? {
        guard offset >= 0, offset <= bytes.count - 2 else { return nil }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    func uint32(at offset: Int) -> UInt32? {
        guard offset >= 0, offset <= bytes.count - 4 else { return nil }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    /// The bytes of `range`; empty when the range is not inside the stream.
    func slice(_ range: Range<Int>) -> [UInt8] {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { return [] }
        return Array(bytes[range])
    }
}

extension Array where Element == UInt8 {
    /// String properties end in NUL terminators (one byte, or two for UTF-16).
    func trimmingTrailingNULs() -> [UInt8] {
        var trimmed = self
        while trimmed.last == 0 { trimmed.removeLast() }
        return trimmed
    }
}
