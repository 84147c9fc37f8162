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
