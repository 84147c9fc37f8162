import Foundation
import Materials

/// What one file (an attachment, a file inside an archive, or the mail body) turned out to be,
/// as far as the campaign's rules care. Decided from content, never from the name alone.
/// Codable: facts are cached per file content (SHA-256), so a file carried into a later version
/// is not read again.
public struct MaterialFacts: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// 推报表 (附件1).
        case form
        /// 征文: a document whose text was read (or should have been).
        case essay
        case image
        case video
        /// An archive or winmail.dat: what counts is `members`.
        case container
        /// Executable, macro document, encrypted or bomb-like archive: never opened further.
        case unsafe
        /// Anything else (a cover letter in .docx is an essay candidate, a .xls of contacts is other).
        case other
        /// Its reader crashed, was killed by its limits or ran out of time: staff look at it.
        case unchecked
    }

    /// The name the unit gave the file, as data (shown in replies, never used as a path).
    public var name: String
    public var sha256: String
    public var size: Int
    public var kind: Kind
    /// The format as detected ("docx", "pdf", "jpeg", "mp4", "zip", …).
    public var format: String?

    /// Essays: the text's 字数 and the text itself (for assigning materials to a form and, later,
    /// duplicate detection); `unreadable` says why no text could be read.
    public var wordCount: Int?
    public var text: String?
    public var unreadable: String?
    /// Images embedded in an essay document (Word's `word/media`), each with its size in bytes.
    public var embeddedImages: [EmbeddedImage] = []

    public var image: ImageInfo?
    public var video: VideoFacts?
    public var form: NominationForm?
    /// Why a file is unsafe, in Chinese, for the reply.
    public var unsafeReason: String?
    /// Why a file could not be checked (kind `unchecked`), in Chinese, for the reply and the log.
    public var uncheckedReason: String?
    /// Files inside a container.
    public var members: [MaterialFacts] = []

    public init(name: String, sha256: String, size: Int, kind: Kind, format: String? = nil) {
        self.name = name
        self.sha256 = sha256
        self.size = size
        self.kind = kind
        self.format = format
    }

    /// This file and, for containers, everything inside it, depth first.
    public var flattened: [MaterialFacts] {
        kind == .container ? members.flatMap(\.flattened) : [self]
    }
}

public struct EmbeddedImage: Sendable, Hashable, Codable {
    public var name: String
    public var size: Int
    public init(name: String, size: Int) {
        self.name = name
        self.size = size
    }
}

public struct VideoFacts: Sendable, Hashable, Codable {
    /// An ISO-BMFF file with an mp4 brand (QuickTime `qt  ` is not mp4).
    public var isMP4: Bool
    public var container: String
    public var durationSeconds: Double
    /// Display size (after rotation).
    public var width: Int
    public var height: Int
    public init(isMP4: Bool, container: String, durationSeconds: Double, width: Int, height: Int) {
        self.isMP4 = isMP4
        self.container = container
        self.durationSeconds = durationSeconds
        self.width = width
        self.height = height
    }
}
