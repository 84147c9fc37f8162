/// What an outbox row is: an automatic answer to a mail (one per action that replies), or a
/// reply staff caused by a decision (never counted by the reply throttle).
public enum ReplyKind: String, Sendable, Codable, CaseIterable {
    case acknowledge, correct, alreadySubmitted, decision
    /// A reviewer's scoring sheet (`tuibao review send`), and the receipt for one returned.
    case reviewSheet, reviewReceipt

    public init(_ action: Action) {
        switch action {
        case .acknowledge, .ignore: self = .acknowledge
        case .correct: self = .correct
        case .alreadySubmitted: self = .alreadySubmitted
        }
    }

    public var label: String {
        switch self {
        case .acknowledge: Action.acknowledge.label
        case .correct: Action.correct.label
        case .alreadySubmitted: Action.alreadySubmitted.label
        case .decision: "工作人员回复"
        case .reviewSheet: "评分表"
        case .reviewReceipt: "评分表回执"
        }
    }
}

/// Every kind of entry in the append-only event log.
public enum EventKind: String, Sendable, Codable, CaseIterable {
    case messageReceived = "message.received"
    case messageRepeat = "message.repeat"
    case messageReprocess = "message.reprocess"
    case messageIgnored = "message.ignored"
    case messageFailed = "message.failed"
    case submissionCreated = "submission.created"
    case versionAdded = "version.added"
    case materialsUnassigned = "materials.unassigned"
    case fileAttached = "file.attached"
    case replyQueued = "reply.queued"
    case replySuppressed = "reply.suppressed"
    case replySkipped = "reply.skipped"
    case replySent = "reply.sent"
    case replyDeferred = "reply.deferred"
    case replyFailed = "reply.failed"
    case replyRequeued = "reply.requeued"
    case staffDecision = "staff.decision"
    case staffNote = "staff.note"
    case campaignImported = "campaign.imported"
    case messageResend = "message.resend"
    case fileRemoved = "file.removed"
    case submissionsMerged = "submissions.merged"
    case fileUnchecked = "file.unchecked"
    case submissionAssigned = "submission.assigned"
    /// Staff marked a deed for the website column (`tuibao publish add`), or took it off.
    case deedPublished = "deed.published"
    case deedUnpublished = "deed.unpublished"
    // The committee review (`tuibao review`): a round opened and closed, a deed shortlisted or
    // taken off, a conflict of interest declared, reviewers assigned or released, scores entered.
    case reviewOpened = "review.opened"
    case reviewShortlisted = "review.shortlisted"
    case reviewUnlisted = "review.unlisted"
    case reviewConflict = "review.conflict"
    case reviewAssigned = "review.assigned"
    case reviewUnassigned = "review.unassigned"
    case reviewScored = "review.scored"
    /// Scoring sheets mailed to reviewers (`review send`), and one that came back.
    case reviewSheetSent = "review.sheet.sent"
    case reviewSheetReturned = "review.sheet.returned"
    /// A deed chosen as one of the year's best from a closed round (`review choose`).
    case reviewChosen = "review.chosen"
    case reviewClosed = "review.closed"
}

/// What a file is to its nomination. A new form, essay or video replaces the one a submission
/// held; pictures accumulate (`shared/domain.md`, one record per deed).
public enum FileRole: String, Sendable, Codable, CaseIterable {
    case form, essay, video, picture, container, unsafe, other

    /// A new file of this role takes the place of the earlier one.
    public var replacesEarlier: Bool { self == .form || self == .essay || self == .video }

    public var label: String {
        switch self {
        case .form: "推报表"
        case .essay: "征文"
        case .video: "视频"
        case .picture: "图片"
        case .container: "压缩包"
        case .unsafe: "不安全文件"
        case .other: "其他"
        }
    }
}
