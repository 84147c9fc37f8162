import Foundation
import Intake
import Store

/// Replies that staff ask for (a decision "needs correction" with what to fix), queued in the
/// same outbox as the automatic ones, threaded to the unit's latest mail.
extension IntakePipeline {
    public func queueCorrectionRequest(submissionId: Int64, note: String, actor: String, now: Date = Date()) throws -> Int64 {
        try store.write { store in
            guard let submission = try store.reader.submission(id: submissionId),
                  let latest = try store.reader.latestVersion(ofSubmission: submissionId),
                  let message = try store.reader.message(id: latest.messageRowId) else {
                throw StoreError("推报 \(submissionId) 没有可回复的邮件 (nothing to reply to)")
            }
            guard ReplyAddressing.recipient(for: InboundMessage(fromAddress: submission.senderAddress)) != nil else {
                throw StoreError("发件地址不可回复 (no safe recipient): \(submission.senderAddress)")
            }
            let planned = try ReplyBuilder(configuration: configuration, templates: templates).staffReply(
                .correct, submission: submission, message: message, versionNumber: latest.number, files: [], problems: [],
                staffErrors: [note], tag: "staff-\(try store.reader.eventCount(submissionId: submissionId))",
                receivedAt: message.receivedAt)
            var reply = ReplyBuilder.record(planned, kind: .decision, messageRowId: nil, submissionId: submissionId, now: now)
            reply.contentKey = nil
            try store.insert(&reply)
            try store.log(EventRecord(at: now, actor: actor, kind: .replyQueued, submissionId: submissionId,
                                      detail: "工作人员要求补正 → \(submission.senderAddress)"))
            return reply.id!
        }
    }
}
