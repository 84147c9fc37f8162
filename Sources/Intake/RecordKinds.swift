/// What an outbox row is: an automatic answer to a mail (one per action that replies), or a
/// reply staff caused by a decision (never counted by the reply throttle).
public enum ReplyKind: String, Sendable, Codable, CaseIterable {
    case acknowledge, correct, alreadySubmitted, decision

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
}
