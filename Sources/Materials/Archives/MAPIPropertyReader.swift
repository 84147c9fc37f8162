import Foundation

/// Reads the MAPI property list of a TNEF attAttachment attribute ([MS-OXTNEF] 2.1.3.4), keeping
/// the few properties that name and carry an attached file.
enum MAPIPropertyReader {
    struct AttachmentProperties {
        var longFileName: String?
        var fileName: String?
        var displayName: String?
        var data: [UInt8]?
    }

    static let prAttachDataBin: UInt16 = 0x3701
    static let prAttachFilename: UInt16 = 0x3704
    static let prAttachLongFilename: UInt16 = 0x3707
    static let prDisplayName: UInt16 = 0x3001

    // Property types.
    static let ptString8: UInt16 = 0x001E
    static let ptUnicode: UInt16 = 0x001F
    static let ptBinary: UInt16 = 0x0102
    static let ptObject: UInt16 = 0x000D
    static let multiValued: UInt16 = 0x1000

    /// Whatever could be read before the list ran out or turned malformed.
    static func attachmentProperties(_ bytes: [UInt8]) -> AttachmentProperties {
        let reader = TNEFBytes(bytes)
        var properties = AttachmentProperties()
        guard let declaredCount = reader.uint32(at: 0) else { return properties }
        var offset = 4
        // Each property takes at least 8 bytes; a larger count is a lie.
        for _ in 0..<min(Int(declaredCount), bytes.count / 8) {
            guard let type = reader.uint16(at: offset), let id = reader.uint16(at: offset + 2) else { break }
            offset += 4
            if id >= 0x8000 {
                guard let next = skipNamedPropertyName(reader, at: offset) else { break }
                offset = next
            }
            guard let (values, next) = readValues(reader, type: type, at: offset) else { break }
            offset = next
            guard let value = values.first else { continue }
            let baseType = type & ~multiValued
            switch (id, baseType) {
            case (prAttachLongFilename, _): properties.longFileName = text(value, type: baseType)
            case (prAttachFilename, _): properties.fileName = text(value, type: baseType)
            case (prDisplayName, _): properties.displayName = text(value, type: baseType)
            case (prAttachDataBin, ptBinary): properties.data = value
            case (prAttachDataBin, ptObject):
                // An embedded object starts with the 16-byte interface id.
                properties.data = Array(value.dropFirst(16))
            default: break
            }
        }
        return properties
    }

    private static func text(_ value: [UInt8], type: UInt16) -> String? {
        switch type {
        case ptUnicode:
            var units: [UInt16] = stride(from: 0, to: value.count - 1, by: 2).map {
                UInt16(value[$0]) | UInt16(value[$0 + 1]) << 8
            }
            while units.last == 0 { units.removeLast() }
            return String(decoding: units, as: UTF16.self).precomposedStringWithCanonicalMapping
        case ptString8:
            return LegacyTextDecoding.decode(value.trimmingTrailingNULs())
        default:
            return nil
        }
    }

    /// GUID (16), kind (4), then a numeric id (4) or a length-prefixed, padded UTF-16 name.
    private static func skipNamedPropertyName(_ reader: TNEFBytes, at offset: Int) -> Int? {
        guard let kind = reader.uint32(at: offset + 16) else { return nil }
        if kind == 0 { return offset + 24 <= reader.count ? offset + 24 : nil }
        guard let length = reader.uint32(at: offset + 20), Int(length) <= reader.count else { return nil }
        let end = offset + 24 + padded(Int(length))
        return end <= reader.count ? end : nil
    }

    /// The values of one property (several for multi-valued types) and the offset after them.
    private static func readValues(_ reader: TNEFBytes, type: UInt16, at start: Int) -> ([[UInt8]], Int)? {
        let baseType = type & ~multiValued
        let isVariable = [ptString8, ptUnicode, ptBinary, ptObject].contains(baseType)
        var offset = start
        var count = 1
        if type & multiValued != 0 || isVariable {
            guard let declared = reader.uint32(at: offset), Int(declared) <= reader.count else { return nil }
            count = Int(declared)
            offset += 4
        }
        var values: [[UInt8]] = []
        for _ in 0..<count {
            let size: Int
            if isVariable {
                guard let length = reader.uint32(at: offset), Int(length) <= reader.count - offset - 4 else { return nil }
                size = Int(length)
                offset += 4
            } else {
                guard let fixed = fixedSize(of: baseType) else { return nil }
                size = fixed
            }
            guard offset + size <= reader.count else { return nil }
            values.append(reader.slice(offset..<(offset + size)))
            // Variable values and 2-byte shorts are padded to 4 bytes.
            offset += isVariable || size < 4 ? padded(size) : size
        }
        return (values, offset)
    }

    private static func fixedSize(of type: UInt16) -> Int? {
        switch type {
        case 0x0002, 0x0003, 0x0004, 0x000A, 0x000B: 4 // short (padded), long, float, error, boolean
        case 0x0005, 0x0006, 0x0007, 0x0014, 0x0040: 8 // double, currency, apptime, int64, systime
        case 0x0048: 16 // CLSID
        case 0x0001: 0 // null
        default: nil
        }
    }

    private static func padded(_ size: Int) -> Int { (size + 3) & ~3 }
}
