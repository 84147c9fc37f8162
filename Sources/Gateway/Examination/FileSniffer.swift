import MaterialChecks
import Materials

/// The family of a file from its first bytes (and, only where bytes cannot tell, its name).
enum FileSniffer {
    enum Family: Equatable {
        case image
        /// ISO-BMFF (mp4, mov, m4v…): measured by VideoProbe.
        case video
        /// A video that is not ISO-BMFF (AVI, WMV, FLV, MKV, MPEG, RMVB): never mp4.
        case otherVideo(String)
        /// ZIP: an OOXML document (docx, xlsx) or an archive of materials.
        case zip
        case rar, sevenZip, tnef, pdf
        /// A tar archive, or a gzip/bzip2/xz stream (a .tar.gz and its kin): libarchive decides.
        case tar
        /// OLE compound file: Word 97–2003 .doc, WPS .wps, old Excel .xls.
        case compoundFile
        case text
        case unknown
    }

    static func kind(name: String, header: [UInt8]) -> Family {
        let lowerName = name.lowercased()
        if ImageProbe.format(ofHeader: header.prefix(ImageProbe.headerLength)) != nil { return .image }
        if header.count >= 12, Array(header[4..<8]) == Array("ftyp".utf8) { return .video }
        if header.starts(with: [0x50, 0x4B, 0x03, 0x04]) || header.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if header.starts(with: Array("Rar!\u{1A}\u{07}".utf8)) { return .rar }
        if header.starts(with: [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) { return .sevenZip }
        if header.starts(with: [0x78, 0x9F, 0x3E, 0x22]) { return .tnef }
        if header.count >= 262, Array(header[257..<262]) == Array("ustar".utf8) { return .tar }
        if header.starts(with: [0x1F, 0x8B]) || header.starts(with: Array("BZh".utf8))
            || header.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .tar }
        if header.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if header.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .compoundFile }
        if header.starts(with: Array("RIFF".utf8)), header.count >= 12, Array(header[8..<12]) == Array("AVI ".utf8) { return .otherVideo("AVI") }
        if header.starts(with: [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11]) { return .otherVideo("WMV/ASF") }
        if header.starts(with: Array("FLV".utf8)) { return .otherVideo("FLV") }
        if header.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) { return .otherVideo("MKV/WebM") }
        if header.starts(with: [0x00, 0x00, 0x01, 0xBA]) || header.starts(with: [0x00, 0x00, 0x01, 0xB3]) { return .otherVideo("MPEG") }
        if header.starts(with: Array(".RMF".utf8)) { return .otherVideo("RMVB") }
        if lowerName.hasSuffix(".txt") { return .text }
        return .unknown
    }
}
