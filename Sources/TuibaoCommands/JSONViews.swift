import Foundation
import Store

// The shapes of `--json`, one per thing a script reads. They are written out here rather than
// encoding store records, so a column added to the database never leaks out (no raw paths,
// matching keys or content hashes of replies) and a key never goes missing: absent values are
// `null`. Schemas/ holds the JSON Schema of each; TuibaoCommandsTests validate every command.

/// One row of `queue --json` and `search --json`.
struct SubmissionRowJSON: Encodable {
    var id: Int64
    var trackingNumber: String
    var status: String
    var statusLabel: String
    @Nullable var unit: String?
    @Nullable var category: String?
    @Nullable var nominee: String?
    @Nullable var title: String?
    var senderAddress: String
    @Nullable var senderName: String?
    /// Who looks after it (`tuibao assign`).
    @Nullable var assignee: String?
    var versions: Int
    var files: Int
    var errors: Int
    var warnings: Int
    var createdAt: Date
    var updatedAt: Date

    init(_ row: SubmissionSummary) {
        id = row.id
        trackingNumber = row.trackingNumber
        status = row.status.rawValue
        statusLabel = row.status.label
        unit = row.unitName
        category = row.category
        nominee = row.nominee
        title = row.title
        senderAddress = row.senderAddress
        senderName = row.senderName
        assignee = row.assignee
        versions = row.versions
        files = row.files
        errors = row.errors
        warnings = row.warnings
        createdAt = row.createdAt
        updatedAt = row.updatedAt
    }
}

/// A mail as filed: `messages --json`, `queue --failed --json`, and each version of `show`.
struct MessageJSON: Encodable {
    var number: Int64
    @Nullable var messageId: String?
    @Nullable var subject: String?
    @Nullable var from: String?
    var size: Int64
    var sha256: String
    var source: String
    var status: String
    @Nullable var action: String?
    @Nullable var reason: String?
    var attempts: Int
    var receivedAt: Date
    @Nullable var processedAt: Date?

    init(_ message: MessageRecord) {
        number = message.id ?? 0
        messageId = message.messageId
        subject = message.subject
        from = message.fromAddress
        size = message.size
        sha256 = message.sha256
        source = message.source
        status = message.status.rawValue
        action = message.action?.rawValue
        reason = message.reason
        attempts = message.attempts
        receivedAt = message.receivedAt
        processedAt = message.processedAt
    }
}

/// A reply: `outbox --json` and the replies of `show --json`.
struct ReplyJSON: Encodable {
    var id: Int64
    var kind: String
    var status: String
    var recipient: String
    var subject: String
    var body: String
    var messageId: String
    @Nullable var inReplyTo: String?
    var references: [String]
    @Nullable var submissionId: Int64?
    @Nullable var messageNumber: Int64?
    var attempts: Int
    /// Why it failed, or why it is held (suppressed).
    @Nullable var lastError: String?
    var createdAt: Date
    @Nullable var sentAt: Date?
    @Nullable var nextAttemptAt: Date?

    init(_ reply: ReplyRecord) {
        id = reply.id ?? 0
        kind = reply.kind.rawValue
        status = reply.status.rawValue
        recipient = reply.recipient
        subject = reply.subject
        body = reply.body
        messageId = reply.headerMessageId
        inReplyTo = reply.inReplyTo
        references = reply.referencesList.split(separator: " ").map(String.init)
        submissionId = reply.submissionId
        messageNumber = reply.messageRowId
        attempts = reply.attempts
        lastError = reply.lastError
        createdAt = reply.createdAt
        sentAt = reply.sentAt
        nextAttemptAt = reply.nextAttemptAt
    }
}

/// `show --json`: one submission, its versions with files and problems, replies and events.
struct SubmissionDetailJSON: Encodable {
    struct Submission: Encodable {
        var id: Int64
        var trackingNumber: String
        var status: String
        var statusLabel: String
        @Nullable var unit: String?
        @Nullable var category: String?
        @Nullable var nominee: String?
        @Nullable var title: String?
        var senderAddress: String
        @Nullable var senderName: String?
        /// The tracking number of the record staff merged this one into.
        @Nullable var mergedInto: String?
        @Nullable var assignee: String?
        var createdAt: Date
        var updatedAt: Date
    }

    struct Version: Encodable {
        var number: Int
        var action: String
        var createdAt: Date
        var message: MessageJSON
        var files: [File]
        var problems: [Problem]
    }

    struct File: Encodable {
        var id: Int64
        @Nullable var filename: String?
        var contentType: String
        var size: Int64
        var sha256: String
        @Nullable var role: String?
        /// The version number this file was carried over from.
        @Nullable var carriedFromVersion: Int?
        /// The id of the file of an earlier version this one replaces.
        @Nullable var replacesFileId: Int64?
        @Nullable var removedAt: Date?
        @Nullable var removedBy: String?
    }

    struct Problem: Encodable {
        var code: String
        var severity: String
        var message: String
    }

    struct Event: Encodable {
        var at: Date
        var actor: String
        var kind: String
        var detail: String
        @Nullable var messageNumber: Int64?
    }

    var submission: Submission
    var versions: [Version]
    var replies: [ReplyJSON]
    var events: [Event]

    init(_ detail: SubmissionDetail, mergedInto: String?) {
        let record = detail.submission
        submission = Submission(id: record.id ?? 0, trackingNumber: record.trackingNumber, status: record.status.rawValue,
                                statusLabel: record.status.label, unit: record.unitName, category: record.category,
                                nominee: record.nominee, title: record.title, senderAddress: record.senderAddress,
                                senderName: record.senderName, mergedInto: mergedInto, assignee: record.assignee,
                                createdAt: record.createdAt, updatedAt: record.updatedAt)
        let numberOfVersion = Dictionary(detail.versions.map { ($0.version.id ?? 0, $0.version.number) }, uniquingKeysWith: { first, _ in first })
        versions = detail.versions.map { entry in
            Version(number: entry.version.number, action: entry.version.action.rawValue, createdAt: entry.version.createdAt,
                    message: MessageJSON(entry.message),
                    files: entry.files.map { file in
                        File(id: file.id ?? 0, filename: file.filename, contentType: file.contentType, size: file.size,
                             sha256: file.sha256, role: file.role?.rawValue,
                             carriedFromVersion: file.carriedFromVersionId.flatMap { numberOfVersion[$0] },
                             replacesFileId: file.replacesFileId, removedAt: file.removedAt, removedBy: file.removedBy)
                    },
                    problems: entry.problems.map { Problem(code: $0.code.rawValue, severity: $0.severity.rawValue, message: $0.message) })
        }
        replies = detail.replies.map(ReplyJSON.init)
        events = detail.events.map { Event(at: $0.at, actor: $0.actor, kind: $0.kind.rawValue, detail: $0.detail, messageNumber: $0.messageRowId) }
    }
}
