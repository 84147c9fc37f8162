import Foundation

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

    public var image: ImageFacts?
    public var video: VideoFacts?
    public var form: FormFields?
    /// Why a file is unsafe, in Chinese, for the reply.
    public var unsafeReason: String?
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

public struct ImageFacts: Sendable, Hashable, Codable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
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

/// The fields of the nomination form that the rules and staff use.
public struct FormFields: Sendable, Hashable, Codable {
    public enum Category: String, Sendable, Hashable, Codable {
        case team = "团队"
        case individual = "个人"
    }

    public var unit: String?
    public var category: Category?
    public var nominee: String?
    public var gender: String?
    /// 出生年月 as "YYYY-MM".
    public var birth: String?
    /// 职务/职称.
    public var position: String?
    public var deedTitle: String?
    public var summary: String?
    public var contact: String?
    public var phone: String?
    public var email: String?

    public init(unit: String? = nil, category: Category? = nil, nominee: String? = nil, gender: String? = nil,
                birth: String? = nil, position: String? = nil, deedTitle: String? = nil, summary: String? = nil,
                contact: String? = nil, phone: String? = nil, email: String? = nil) {
        self.unit = unit
        self.category = category
        self.nominee = nominee
        self.gender = gender
        self.birth = birth
        self.position = position
        self.deedTitle = deedTitle
        self.summary = summary
        self.contact = contact
        self.phone = phone
        self.email = email
    }

    /// The field's value by its configuration key (`form_required_fields`).
    public func value(ofField key: String) -> String? {
        switch key {
        case "unit": unit
        case "category": category?.rawValue
        case "nominee": nominee
        case "gender": gender
        case "birth": birth
        case "position": position
        case "deedTitle": deedTitle
        case "summary": summary
        case "contact": contact
        case "phone": phone
        case "email": email
        default: nil
        }
    }

    /// The label on the form, for messages.
    public static func label(ofField key: String, category: Category?) -> String {
        switch key {
        case "unit": "推报单位"
        case "category": "推报类型"
        case "nominee": category == .team ? "团队名称" : category == .individual ? "姓名" : "团队名称/姓名"
        case "gender": "性别"
        case "birth": "出生年月"
        case "position": "职务/职称"
        case "deedTitle": "事迹标题"
        case "summary": "事迹简介"
        case "contact": "联系人"
        case "phone": "联系电话"
        case "email": "电子邮箱"
        default: key
        }
    }

    /// Age in whole years on `date` (from year and month of birth).
    public func age(on date: Date) -> Int? {
        guard let birth, let year = Int(birth.prefix(4)), let month = Int(birth.suffix(2)) else { return nil }
        let calendar = Calendar(identifier: .gregorian)
        let now = calendar.dateComponents(in: TimeZone(identifier: "Asia/Shanghai")!, from: date)
        guard let nowYear = now.year, let nowMonth = now.month else { return nil }
        return nowYear - year - (nowMonth < month ? 1 : 0)
    }
}

/// A link to a file the unit could not attach (QQ 超大附件, 百度网盘 …), with its extraction code.
public struct PendingLinkFacts: Sendable, Hashable, Codable {
    public var url: String
    public var provider: String
    public var code: String?
    public init(url: String, provider: String, code: String?) {
        self.url = url
        self.provider = provider
        self.code = code
    }
}
