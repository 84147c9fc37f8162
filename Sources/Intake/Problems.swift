/// How much a problem weighs: any `error` turns the action into `correct`.
public enum Severity: String, Sendable, Codable, Comparable {
    case info, warning, error

    var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    public var label: String {
        switch self {
        case .info: "提示"
        case .warning: "警告"
        case .error: "错误"
        }
    }
}

/// The problem codes of the domain (`shared/domain.md`), each with its fixed severity.
public enum ProblemCode: String, Sendable, Codable, CaseIterable {
    case formMissing = "form.missing"
    case formIncomplete = "form.incomplete"
    case materialMissing = "material.missing"
    case essayTooShort = "essay.tooShort"
    case essayTooLong = "essay.tooLong"
    case essayUnreadable = "essay.unreadable"
    case imageMissing = "image.missing"
    case imageTooSmall = "image.tooSmall"
    case videoNotMp4 = "video.notMp4"
    case videoTooShort = "video.tooShort"
    case videoTooLong = "video.tooLong"
    case videoLowResolution = "video.lowResolution"
    case videoUnreadable = "video.unreadable"
    case attachmentUnsafe = "attachment.unsafe"
    case videoPendingLink = "video.pendingLink"
    case senderUnknown = "sender.unknown"
    case nomineeLeader = "nominee.leader"
    case duplicatePossible = "duplicate.possible"
    case duplicateEarlierCampaign = "duplicate.earlierCampaign"
    case duplicateThisCampaign = "duplicate.thisCampaign"
    case attachmentUnreadable = "attachment.unreadable"
    case supplementAmbiguous = "supplement.ambiguous"

    /// What the problem is, in a few words, for staff overviews (the report).
    public var label: String {
        switch self {
        case .formMissing: "缺推报表"
        case .formIncomplete: "推报表未填全"
        case .materialMissing: "缺征文或视频"
        case .essayTooShort: "征文字数不足"
        case .essayTooLong: "征文字数过多"
        case .essayUnreadable: "征文无法读取"
        case .imageMissing: "缺图片"
        case .imageTooSmall: "图片小于 1 MB"
        case .videoNotMp4: "视频不是 mp4"
        case .videoTooShort: "视频短于 5 分钟"
        case .videoTooLong: "视频长于 15 分钟"
        case .videoLowResolution: "视频分辨率不足"
        case .videoUnreadable: "视频无法读取"
        case .attachmentUnsafe: "不安全的附件"
        case .videoPendingLink: "视频待下载（网盘链接）"
        case .senderUnknown: "发件人不在名录"
        case .nomineeLeader: "推报对象为领导干部"
        case .duplicatePossible: "疑似重复"
        case .duplicateEarlierCampaign: "往期已报送"
        case .duplicateThisCampaign: "本期重复报送"
        case .attachmentUnreadable: "附件无法检查"
        case .supplementAmbiguous: "补充材料归属不明"
        }
    }

    public var severity: Severity {
        switch self {
        case .videoPendingLink: .info
        case .senderUnknown, .nomineeLeader, .duplicatePossible, .supplementAmbiguous: .warning
        default: .error
        }
    }
}

/// One finding about a submission, with the Chinese sentence the unit or staff will read.
public struct Problem: Sendable, Hashable, Codable {
    public var code: ProblemCode
    public var message: String

    public var severity: Severity { code.severity }

    public init(code: ProblemCode, message: String) {
        self.code = code
        self.message = message
    }
}
