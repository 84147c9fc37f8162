import Fingerprints
import Foundation
import Intake
import MaterialChecks
import Materials
import Store

/// The complete answer to one message, before anything is written: what `tuibao check` prints
/// and what intake commits in one transaction. Made only by `IntakeAssessor.assess`.
public struct Verdict: Sendable {
    /// The header facts kept on the message row (the subject made single-line).
    public var messageId: String?
    public var subject: String?
    public var fromAddress: String?
    public var fromName: String?

    /// Set when the message is not filed: a bounce, an auto-reply, our own mail, a repeat.
    public var ignoreReason: IgnoreReason?
    /// The mail's action, combined from its nominations' (`ignore` when ignored).
    public var action: Action
    /// The submission this mail continues (our tracking number in the subject, or a reply to
    /// one of our replies): its first nomination becomes a new version of it.
    public var continues: SubmissionRecord?
    public var nominations: [NominationVerdict]
    /// Materials that could not be tied to one of several forms, for staff.
    public var unassigned: [String]
    /// The reply to queue (nil: ignored, or no address that may be answered).
    public var reply: PlannedReply?
    /// Set when the mail is a resend or a colleague's copy of this deed, bringing nothing new:
    /// filed with the submission, answered "already submitted" naming it, no new version.
    public var resendOf: SubmissionRecord?

    public var isIgnored: Bool { ignoreReason != nil }

    static func ignored(_ reason: IgnoreReason, header: (messageId: String?, subject: String?, from: String?, name: String?)) -> Verdict {
        Verdict(messageId: header.messageId, subject: header.subject, fromAddress: header.from, fromName: header.name, ignoreReason: reason,
                action: .ignore, continues: nil, nominations: [], unassigned: [], reply: nil)
    }
}

/// One nomination of the message (one per form) as it will be filed.
public struct NominationVerdict: Sendable {
    public var nomination: Nomination
    /// The tracking number it is filed under: the continued submission's, or the next free one.
    public var trackingNumber: String
    /// The sequence of a new submission (nil: a new version of `Verdict.continues`).
    public var newSequence: Int?
    public var versionNumber: Int
    /// The files of the version: this message's, plus earlier ones carried over.
    public var files: [PlannedFile]
    /// Material, sender and duplicate problems, in that order.
    public var problems: [Problem]
    public var duplicates: [DuplicateFinding]
    /// Essays with their fingerprints, for the index once filed.
    public var essays: [FingerprintedEssay]
    public var action: Action
    /// Download links waiting for staff, kept with the version.
    public var links: [PendingLink] = []

    /// The files that came with this message (not carried over), for the reply.
    public var newFiles: [(name: String, size: String)] {
        files.filter { $0.carriedFromVersionId == nil }.map { ($0.displayName, SizeText.of($0.size)) }
    }

    /// Earlier records this deed duplicates, for the "already submitted" reply.
    public var earlier: [String] {
        duplicates.filter { $0.problem.severity == .error }.map(\.earlier)
    }
}

/// A file the new version will hold (an attachment of this message, or one carried over).
public struct PlannedFile: Sendable, Hashable {
    public var sha256: String
    public var size: Int64
    public var filename: String?
    public var contentType: String
    public var carriedFromVersionId: Int64?
    public var role: FileRole = .other
    /// The earlier file (of the previous version) this one takes the place of.
    public var replacesFileId: Int64?

    public var displayName: String { filename ?? "（无文件名）" }

    func record(versionId: Int64) -> FileRecord {
        var record = FileRecord(id: nil, versionId: versionId, sha256: sha256, size: size, filename: filename,
                                contentType: contentType, carriedFromVersionId: carriedFromVersionId)
        record.role = role
        record.replacesFileId = replacesFileId
        return record
    }
}

/// An essay of a nomination with its fingerprint, made once for the check and the index.
public struct FingerprintedEssay: Sendable {
    public var essay: MaterialFacts
    public var fingerprint: EssayFingerprint
}

/// One duplicate finding, with its evidence (kept for `tuibao dupes`).
public struct DuplicateFinding: Sendable {
    public var problem: Problem
    public var match: DuplicateMatchRecord
    /// The earlier record and why it matches, for the "already submitted" reply.
    public var earlier: String
}

/// A reply as it will go to the outbox.
public struct PlannedReply: Sendable {
    public var kind: Action
    public var recipient: String
    public var subject: String
    public var body: String
    public var headerMessageId: String
    public var inReplyTo: String?
    public var references: [String]
    /// "The same reply" for the throttle: kind, numbers, problems and files, not the date.
    public var contentKey: String
    /// Why the throttle holds it back (nil: it is sent).
    public var heldBecause: String?
}
