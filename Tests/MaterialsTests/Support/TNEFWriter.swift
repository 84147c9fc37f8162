import Foundation

/// Writes TNEF streams ([MS-OXTNEF]) the way Outlook does, for tests: signature and key, message
/// attributes (version, OEM code page, message class), then per attachment attAttachRenddata,
/// attAttachTitle, attAttachData and attAttachment with MAPI properties.
enum TNEFWriter {
    struct Attachment {
        /// attAttachTitle: the 8.3 name in the OEM code page.
        var title: [UInt8]
        /// attAttachData; nil to carry the data only as PR_ATTACH_DATA_BIN.
        var data: [UInt8]?
        /// Encoded MAPI properties for attAttachment.
        var properties: [[UInt8]]
    }

    static func stream(_ attachments: [Attachment], codePage: UInt32 = 936) -> Data {
        var bytes = le32(0x223E_9F78) + le16(0x4A1B)
        bytes += attribute(level: 1, id: 0x0008_9006, le32(0x0001_0000))          // attTnefVersion
        bytes += attribute(level: 1, id: 0x0006_9007, le32(codePage) + le32(0))   // attOemCodepage
        bytes += attribute(level: 1, id: 0x0007_8008, Array("IPM.Microsoft Mail.Note\0".utf8)) // attMessageClass
        // Message-level MAPI properties: a subject that must not be taken for a file name.
        bytes += attribute(level: 1, id: 0x0006_9003, le32(1) + unicode(id: 0x3707, "not an attachment"))
        for attachment in attachments {
            // attAttachRenddata: type 1 (file), position -1, no rendering size, flags 0.
            bytes += attribute(level: 2, id: 0x0006_9002, le16(1) + le32(0xFFFF_FFFF) + le16(0) + le16(0) + le32(0))
            bytes += attribute(level: 2, id: 0x0001_8010, attachment.title + [0])
            if let data = attachment.data { bytes += attribute(level: 2, id: 0x0006_800F, data) }
            bytes += attribute(level: 2, id: 0x0006_9005,
                               le32(UInt32(attachment.properties.count)) + attachment.properties.flatMap { $0 })
        }
        return Data(bytes)
    }

    /// level, id, length, data, checksum (sum of the data bytes, 16 bits).
    static func attribute(level: UInt8, id: UInt32, _ data: [UInt8]) -> [UInt8] {
        let checksum = data.reduce(UInt32(0)) { ($0 + UInt32($1)) & 0xFFFF }
        return [level] + le32(id) + le32(UInt32(data.count)) + data + le16(UInt16(checksum))
    }

    static func long(id: UInt16, _ value: UInt32) -> [UInt8] { le16(0x0003) + le16(id) + le32(value) }

    static func unicode(id: UInt16, _ text: String) -> [UInt8] {
        variable(type: 0x001F, id: id, utf16LE(text) + [0, 0])
    }

    static func string8(id: UInt16, _ bytes: [UInt8]) -> [UInt8] { variable(type: 0x001E, id: id, bytes + [0]) }

    static func binary(id: UInt16, _ bytes: [UInt8]) -> [UInt8] { variable(type: 0x0102, id: id, bytes) }

    /// A multi-valued PT_MV_LONG property.
    static func multiLong(id: UInt16, _ values: [UInt32]) -> [UInt8] {
        le16(0x1003) + le16(id) + le32(UInt32(values.count)) + values.flatMap(le32)
    }

    /// A named property (id ≥ 0x8000) with a string name and a PT_UNICODE value.
    static func namedUnicode(id: UInt16, name: String, _ text: String) -> [UInt8] {
        let nameBytes: [UInt8] = utf16LE(name) + [0, 0]
        let guid = [UInt8](repeating: 0xAB, count: 16)
        let value: [UInt8] = utf16LE(text) + [0, 0]
        var bytes: [UInt8] = le16(0x001F) + le16(id) + guid
        bytes += le32(1) + le32(UInt32(nameBytes.count)) + padded(nameBytes) // kind 1: a string name
        bytes += le32(1) + le32(UInt32(value.count)) + padded(value)
        return bytes
    }

    static func utf16LE(_ text: String) -> [UInt8] { text.utf16.flatMap { le16($0) } }

    private static func variable(type: UInt16, id: UInt16, _ value: [UInt8]) -> [UInt8] {
        le16(type) + le16(id) + le32(1) + le32(UInt32(value.count)) + padded(value)
    }

    private static func padded(_ bytes: [UInt8]) -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4)
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
}
