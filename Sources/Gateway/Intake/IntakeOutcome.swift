import Intake
import MIME
import Store

/// What intake did with one message: the answer `tuibao ingest` prints and tests follow.
public struct IntakeOutcome: Sendable {
    public var messageRowId: Int64
    public var sha256: String
    public var status: MessageStatus
    public var action: Action?
    /// Why a message was ignored (`IgnoreReason`) or failed (the error).
    public var reason: String?
    /// The parsed message (nil when parsing failed or the message was a repeat).
    public var parsed: ParsedMessage?
    public var trackingNumber: String?
    public var submissionId: Int64?
    public var versionNumber: Int?
    public var problems: [Problem]
    public var replyId: Int64?
    /// True when this delivery changed nothing: the same bytes were processed before.
    public var alreadyProcessed: Bool
    /// Every nomination filed from this message (one per form; the first is the one above).
    public var nominations: [FiledSubmission] = []
    /// Materials that could not be tied to one of several forms, for staff.
    public var unassigned: [String] = []
    /// The reply put in the outbox (nil: none — ignored, failed, or no address to answer).
    public var reply: QueuedReply?
    /// The tracking number of the deed this mail repeated (a resend: no new version).
    public var resendOf: String?
    /// Review mail (a returned scoring sheet, or a reviewer's mail in a review thread), not a
    /// nomination: `reason` says what was recorded, or why not.
    public var isReviewMail = false

    public struct QueuedReply: Sendable, Hashable {
        public var kind: Action
        public var recipient: String
        public var subject: String
        /// False when the reply throttle held it back (kept as suppressed, resendable).
        public var queued: Bool
    }

    public struct FiledSubmission: Sendable, Hashable {
        public var trackingNumber: String
        public var submissionId: Int64
        public var versionNumber: Int
        public var action: Action
        public var problems: [Problem]
        public var category: String?
        public var nominee: String?
        public var unit: String?
        public var title: String?
        public var materials: [String]
    }
}
