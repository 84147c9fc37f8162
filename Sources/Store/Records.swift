import Foundation
import GRDB
import Intake

// One Codable record type per table (GRDB's FetchableRecord/PersistableRecord), columns named
// as in the schema. Every column holding a status, action, code, severity or kind is the
// domain's enum, so a typo cannot reach the database.

extension Action: DatabaseValueConvertible {}
extension ProblemCode: DatabaseValueConvertible {}
extension Severity: DatabaseValueConvertible {}
extension ReplyKind: DatabaseValueConvertible {}
extension EventKind: DatabaseValueConvertible {}
extension FileRole: DatabaseValueConvertible {}

public struct CampaignRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "campaign"
    public var id: String
    public var name: String
    public var trackingPrefix: String
    public var opensOn: String?
    public var closesOn: String?

    public init(id: String, name: String, trackingPrefix: String, opensOn: String? = nil, closesOn: String? = nil) {
        self.id = id
        self.name = name
        self.trackingPrefix = trackingPrefix
        self.opensOn = opensOn
        self.closesOn = closesOn
    }
}

public struct UnitRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "unit"
    public var id: Int64?
    public var name: String
    public var aliases: [String]
    public var domains: [String]
    public var addresses: [String]

    public init(id: Int64?, name: String, aliases: [String], domains: [String], addresses: [String]) {
        self.id = id
        self.name = name
        self.aliases = aliases
        self.domains = domains
        self.addresses = addresses
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public enum MessageStatus: String, Codable, Sendable, DatabaseValueConvertible {
    case received, filed, ignored, failed
}

public struct MessageRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "message"
    public var id: Int64?
    public var sha256: String
    public var rawPath: String
    public var size: Int64
    public var source: String
    public var receivedAt: Date
    public var messageId: String?
    public var subject: String?
    public var fromAddress: String?
    public var status: MessageStatus
    public var action: Action?
    public var reason: String?
    public var attempts: Int
    public var processedAt: Date?

    public init(id: Int64?, sha256: String, rawPath: String, size: Int64, source: String, receivedAt: Date, messageId: String?, subject: String?, fromAddress: String?, status: MessageStatus, action: Action?, reason: String?, attempts: Int, processedAt: Date?) {
        self.id = id
        self.sha256 = sha256
        self.rawPath = rawPath
        self.size = size
        self.source = source
        self.receivedAt = receivedAt
        self.messageId = messageId
        self.subject = subject
        self.fromAddress = fromAddress
        self.status = status
        self.action = action
        self.reason = reason
        self.attempts = attempts
        self.processedAt = processedAt
    }

    public enum Columns {
        public static let sha256 = Column(CodingKeys.sha256)
        public static let messageId = Column(CodingKeys.messageId)
        public static let status = Column(CodingKeys.status)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public enum SubmissionStatus: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case acknowledged, needsCorrection, alreadySubmitted, accepted, rejected

    /// For staff, in Chinese.
    public var label: String {
        switch self {
        case .acknowledged: "已受理"
        case .needsCorrection: "待补正"
        case .alreadySubmitted: "重复报送"
        case .accepted: "已采纳"
        case .rejected: "不采纳"
        }
    }

    /// A submission still in the running: not a duplicate, not turned down.
    public var isLive: Bool { self == .acknowledged || self == .needsCorrection || self == .accepted }
}

public struct SubmissionRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "submission"
    public var id: Int64?
    public var campaignId: String
    public var sequence: Int
    public var trackingNumber: String
    public var unitName: String?
    public var senderAddress: String
    public var senderName: String?
    public var title: String?
    public var status: SubmissionStatus
    public var createdAt: Date
    public var updatedAt: Date
    /// From the nomination form (nil until a form was read).
    public var nominee: String? = nil
    /// 团队 or 个人.
    public var category: String? = nil
    /// Normalised nominee and unit (aliases resolved), for duplicate checks.
    public var nomineeKey: String? = nil
    public var unitKey: String? = nil
    /// Set when staff merged this submission into another (`tuibao merge`); its status is then
    /// `alreadySubmitted`: a copy of that deed.
    public var mergedIntoId: Int64? = nil
    /// The staff member who looks after it (`tuibao assign`).
    public var assignee: String? = nil

    public init(id: Int64?, campaignId: String, sequence: Int, trackingNumber: String, unitName: String?, senderAddress: String, senderName: String?, title: String?, status: SubmissionStatus, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.campaignId = campaignId
        self.sequence = sequence
        self.trackingNumber = trackingNumber
        self.unitName = unitName
        self.senderAddress = senderAddress
        self.senderName = senderName
        self.title = title
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public enum Columns {
        public static let trackingNumber = Column(CodingKeys.trackingNumber)
        public static let status = Column(CodingKeys.status)
        public static let unitName = Column(CodingKeys.unitName)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let campaignId = Column(CodingKeys.campaignId)
        public static let sequence = Column(CodingKeys.sequence)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct VersionRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "version"
    public var id: Int64?
    public var submissionId: Int64
    public var number: Int
    public var messageRowId: Int64
    /// Which of the message's nominations this is (one per form; 0 when there is one).
    public var nominationIndex: Int = 0
    public var action: Action
    public var createdAt: Date
    /// Download links still waiting for staff (JSON of the examiner's links), carried into the
    /// next version when it brings neither a video nor other links.
    public var pendingLinks: String = "[]"

    public init(id: Int64?, submissionId: Int64, number: Int, messageRowId: Int64, action: Action, createdAt: Date) {
        self.id = id
        self.submissionId = submissionId
        self.number = number
        self.messageRowId = messageRowId
        self.action = action
        self.createdAt = createdAt
    }

    public enum Columns {
        public static let submissionId = Column(CodingKeys.submissionId)
        public static let number = Column(CodingKeys.number)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct FileRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "file"
    public var id: Int64?
    public var versionId: Int64
    public var sha256: String
    public var size: Int64
    public var filename: String?
    public var contentType: String
    public var carriedFromVersionId: Int64?
    /// Its role in the nomination (nil for files filed before roles were kept).
    public var role: FileRole? = nil
    /// The file of the previous version this one took the place of (a new essay for the old).
    public var replacesFileId: Int64? = nil
    /// Set when staff took the file out of the version (`tuibao remove`).
    public var removedAt: Date? = nil
    public var removedBy: String? = nil

    public init(id: Int64?, versionId: Int64, sha256: String, size: Int64, filename: String?, contentType: String, carriedFromVersionId: Int64?) {
        self.id = id
        self.versionId = versionId
        self.sha256 = sha256
        self.size = size
        self.filename = filename
        self.contentType = contentType
        self.carriedFromVersionId = carriedFromVersionId
    }

    public enum Columns {
        public static let versionId = Column(CodingKeys.versionId)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct ProblemRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "problem"
    public var id: Int64?
    public var versionId: Int64
    public var code: ProblemCode
    public var severity: Severity
    public var message: String

    public init(id: Int64?, versionId: Int64, code: ProblemCode, severity: Severity, message: String) {
        self.id = id
        self.versionId = versionId
        self.code = code
        self.severity = severity
        self.message = message
    }

    public enum Columns {
        public static let versionId = Column(CodingKeys.versionId)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public enum ReplyStatus: String, Codable, Sendable, DatabaseValueConvertible {
    /// suppressed: never sent on purpose (rate limit, identical reply); staff may still resend it.
    case queued, sent, failed, suppressed

    /// For staff, in Chinese.
    public var label: String {
        switch self {
        case .queued: "待发"
        case .sent: "已发送"
        case .failed: "发送失败"
        case .suppressed: "暂缓（未发送）"
        }
    }
}

public struct ReplyRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "reply"
    public var id: Int64?
    public var messageRowId: Int64?
    public var submissionId: Int64?
    public var kind: ReplyKind
    public var recipient: String
    public var subject: String
    public var body: String
    public var headerMessageId: String
    public var inReplyTo: String?
    public var referencesList: String
    public var status: ReplyStatus
    public var attempts: Int
    public var lastError: String?
    public var createdAt: Date
    public var sentAt: Date?
    public var nextAttemptAt: Date? = nil
    /// What makes two automatic replies "the same" (kind, tracking number, problems, files), hashed.
    public var contentKey: String? = nil

    public init(id: Int64?, messageRowId: Int64?, submissionId: Int64?, kind: ReplyKind, recipient: String, subject: String, body: String, headerMessageId: String, inReplyTo: String?, referencesList: String, status: ReplyStatus, attempts: Int, lastError: String?, createdAt: Date, sentAt: Date?) {
        self.id = id
        self.messageRowId = messageRowId
        self.submissionId = submissionId
        self.kind = kind
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.headerMessageId = headerMessageId
        self.inReplyTo = inReplyTo
        self.referencesList = referencesList
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
    }

    public enum Columns {
        public static let status = Column(CodingKeys.status)
        public static let submissionId = Column(CodingKeys.submissionId)
        public static let headerMessageId = Column(CodingKeys.headerMessageId)
        public static let kind = Column(CodingKeys.kind)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct EventRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "event"
    public var id: Int64?
    public var at: Date
    public var actor: String
    public var kind: EventKind
    public var submissionId: Int64?
    public var messageRowId: Int64?
    public var detail: String

    public init(at: Date, actor: String, kind: EventKind, submissionId: Int64? = nil, messageRowId: Int64? = nil, detail: String = "") {
        self.at = at
        self.actor = actor
        self.kind = kind
        self.submissionId = submissionId
        self.messageRowId = messageRowId
        self.detail = detail
    }

    public enum Columns {
        public static let submissionId = Column(CodingKeys.submissionId)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// The cached examination of one file (`MaterialChecks.MaterialFacts` as JSON).
public struct MaterialRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "material"
    public var sha256: String
    public var name: String
    public var kind: String
    public var facts: String
    public var examinedAt: Date

    public init(sha256: String, name: String, kind: String, facts: String, examinedAt: Date) {
        self.sha256 = sha256
        self.name = name
        self.kind = kind
        self.facts = facts
        self.examinedAt = examinedAt
    }
}
