import Materials
import Gateway
import Intake
import MIME
import MaterialChecks

/// The JSON shape of `tuibao check --json`: stable keys, explicit nulls, so scripts and golden
/// files can rely on every key being present.
struct CheckReport: Encodable {
    var message: MessageReport
    var action: String
    var ignoreReason: String?
    var submissions: [SubmissionReport]
    var unassigned: [String]
    var reply: ReplyReport?
    /// The tracking number of the deed on file this mail repeats (no new version).
    var resendOf: String?

    init(_ parsed: ParsedMessage, verdict: Verdict) {
        message = MessageReport(parsed)
        action = verdict.action.rawValue
        ignoreReason = verdict.ignoreReason?.rawValue
        submissions = verdict.nominations.map(SubmissionReport.init)
        unassigned = verdict.unassigned
        reply = verdict.reply.map(ReplyReport.init)
        resendOf = verdict.resendOf?.trackingNumber
    }

    enum CodingKeys: String, CodingKey { case message, action, ignoreReason, submissions, unassigned, reply, resendOf }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(message, forKey: .message)
        try container.encode(action, forKey: .action)
        try container.encode(ignoreReason, forKey: .ignoreReason)
        try container.encode(submissions, forKey: .submissions)
        try container.encode(unassigned, forKey: .unassigned)
        try container.encode(reply, forKey: .reply)
        try container.encode(resendOf, forKey: .resendOf)
    }
}

/// One nomination of `check --json` and `ingest --json`: in `check`, the tracking number it
/// would be filed under in the store checked against.
struct SubmissionReport: Encodable {
    var trackingNumber: String
    var version: Int
    var category: String?
    var nominee: String?
    var unit: String?
    var title: String?
    var materials: [String]
    var problems: [ProblemReport]
    var action: String

    init(_ verdict: NominationVerdict) {
        let nomination = verdict.nomination
        trackingNumber = verdict.trackingNumber
        version = verdict.versionNumber
        category = nomination.form?.category?.chineseName
        nominee = nomination.form?.nominee
        unit = nomination.form?.unit
        title = nomination.form?.deedTitle
        materials = nomination.materialNames
        problems = verdict.problems.map { ProblemReport(code: $0.code.rawValue, severity: $0.severity.rawValue, message: $0.message) }
        action = verdict.action.rawValue
    }

    init(_ filed: IntakeOutcome.FiledSubmission) {
        trackingNumber = filed.trackingNumber
        version = filed.versionNumber
        category = filed.category
        nominee = filed.nominee
        unit = filed.unit
        title = filed.title
        materials = filed.materials
        problems = filed.problems.map { ProblemReport(code: $0.code.rawValue, severity: $0.severity.rawValue, message: $0.message) }
        action = filed.action.rawValue
    }

    enum CodingKeys: String, CodingKey { case trackingNumber, version, category, nominee, unit, title, materials, problems, action }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(trackingNumber, forKey: .trackingNumber)
        try container.encode(version, forKey: .version)
        try container.encode(category, forKey: .category)
        try container.encode(nominee, forKey: .nominee)
        try container.encode(unit, forKey: .unit)
        try container.encode(title, forKey: .title)
        try container.encode(materials, forKey: .materials)
        try container.encode(problems, forKey: .problems)
        try container.encode(action, forKey: .action)
    }
}

struct MessageReport: Encodable {
    var parsed: ParsedMessage

    init(_ parsed: ParsedMessage) { self.parsed = parsed }

    enum Keys: String, CodingKey {
        case messageId, subject, from, to, cc, replyTo, returnPath, date, inReplyTo, references
        case autoSubmitted, precedence, attachments, bodyText, warnings
    }

    struct AttachmentReport: Encodable {
        var filename: String?
        var contentType: String
        var size: Int64
        var sha256: String

        enum CodingKeys: String, CodingKey { case filename, contentType, size, sha256 }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(filename, forKey: .filename)
            try container.encode(contentType, forKey: .contentType)
            try container.encode(size, forKey: .size)
            try container.encode(sha256, forKey: .sha256)
        }
    }

    func encode(to encoder: any Encoder) throws {
        let headers = parsed.headers
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(headers.messageId, forKey: .messageId)
        try container.encode(headers.subject, forKey: .subject)
        try container.encode(headers.from.first.map(MailboxReport.init), forKey: .from)
        try container.encode(headers.to.map(MailboxReport.init), forKey: .to)
        try container.encode(headers.cc.map(MailboxReport.init), forKey: .cc)
        try container.encode(headers.replyTo.map(MailboxReport.init), forKey: .replyTo)
        try container.encode(headers.returnPath, forKey: .returnPath)
        try container.encode(headers.date?.iso8601, forKey: .date)
        try container.encode(headers.inReplyTo, forKey: .inReplyTo)
        try container.encode(headers.references, forKey: .references)
        try container.encode(headers.autoSubmitted, forKey: .autoSubmitted)
        try container.encode(headers.precedence, forKey: .precedence)
        try container.encode(parsed.attachments.map {
            AttachmentReport(filename: $0.filename, contentType: $0.contentType, size: $0.size, sha256: $0.sha256)
        }, forKey: .attachments)
        try container.encode(parsed.bodyText, forKey: .bodyText)
        try container.encode(parsed.warnings.map(\.description), forKey: .warnings)
    }
}

/// A mailbox with an explicit `"name": null` when there is no display name.
struct MailboxReport: Encodable {
    var mailbox: Mailbox

    init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    enum Keys: String, CodingKey { case name, address }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(mailbox.name, forKey: .name)
        try container.encode(mailbox.address, forKey: .address)
    }
}

struct ProblemReport: Encodable {
    var code: String
    var severity: String
    var message: String
}

/// The reply of `check --json` (what would be queued) and `ingest --json` (what was).
struct ReplyReport: Encodable {
    var kind: String
    var recipient: String
    var subject: String
    /// False when the reply throttle holds it back.
    var queued: Bool

    init(_ reply: PlannedReply) {
        kind = reply.kind.rawValue
        recipient = reply.recipient
        subject = reply.subject
        queued = reply.heldBecause == nil
    }

    init(_ reply: IntakeOutcome.QueuedReply) {
        kind = reply.kind.rawValue
        recipient = reply.recipient
        subject = reply.subject
        queued = reply.queued
    }
}
