import Foundation
import MaterialChecks
import Materials

/// Why a file is unsafe, as the correction request says it (after the file's name).
enum UnsafeFile {
    static func reason(name: String, header: [UInt8]) -> String? {
        UnsafeContent.classify(fileName: name, header: header).map(sentence)
    }

    static func sentence(_ reason: UnsafeReason) -> String {
        switch reason {
        case .executable(.disguisedName): "的文件名经过伪装（含方向控制字符），实为可执行程序"
        case .executable(.runnableExtension(let ext)): "是可执行文件（\(ext)）"
        case .executable(.interpreterScript): "是脚本程序"
        case .executable(.windowsShortcut): "是 Windows 快捷方式"
        case .executable: "是可执行程序"
        case .macroDocument: "是含宏的文档"
        case .encryptedArchive: "是加密的压缩包，无法打开"
        case .archiveBomb: "解压后体积异常（疑似压缩炸弹）"
        case .nestedTooDeep: "是多层嵌套的压缩包"
        }
    }
}

extension MaterialExaminer {
    /// Download links in the mail text that stand for files (known providers, or any link with
    /// an extraction code), each with its code.
    /// A unit sends one to three download links; a mail with thousands would become as many
    /// findings and a reply listing them all. The first `maximumLinks` are kept.
    public static let maximumLinks = 20

    public func links(in text: String) -> [PendingLink] {
        Array(LinkFinder.links(inText: text).lazy.filter(\.isLikelyFileShare).prefix(Self.maximumLinks))
    }

    static func containerReason(_ error: any Error, format: String) -> String {
        if let archive = error as? ArchiveReaderError {
            return archive.unsafeReason.map(UnsafeFile.sentence) ?? "无法打开（\(archive.description)）"
        }
        return "无法打开（\(error)）"
    }
}

extension EmbeddedFile {
    /// Pictures in `word/media` (Word also keeps .emf/.wmf drawings there: not photographs).
    var isImage: Bool {
        let lower = name.lowercased()
        return [".jpg", ".jpeg", ".png", ".heic", ".heif", ".tif", ".tiff", ".bmp"].contains { lower.hasSuffix($0) }
    }
}

