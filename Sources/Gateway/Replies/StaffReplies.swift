import Foundation
import Intake
import Store

/// Replies that staff ask for (a decision "needs correction" with what to fix), queued in the
/// same outbox as the automatic ones, threaded to the unit's latest mail.
extension IntakePipeline {
    public func queueCorrectionRequest(submissionId: Int64, note: String, actor: String, now: Date = Date()) throws -> Int64 {
        try store.write { store in
            let (submission, latest, message) = try Self.answerable(submissionId, store: store.reader)
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

    /// The receipt staff send when they accept a submission intake had answered otherwise —
    /// most often overruling a duplicate finding (`decide ID accepted --reply`). It lists the
    /// current files; the duplicate findings staff overruled are left out.
    public func queueReceipt(submissionId: Int64, actor: String, now: Date = Date()) throws -> Int64 {
        try store.write { store in
            let (submission, latest, message) = try Self.answerable(submissionId, store: store.reader)
            let files = try store.reader.files(ofVersion: latest.id!)
            let problems = try store.reader.problems(ofVersion: latest.id!)
                .filter { ![.duplicateThisCampaign, .duplicateEarlierCampaign, .duplicatePossible].contains($0.code) }
                .map { Problem(code: $0.code, message: $0.message) }
            let planned = try ReplyBuilder(configuration: configuration, templates: templates).staffReply(
                .acknowledge, submission: submission, message: message, versionNumber: latest.number,
                files: files.map { ($0.filename ?? "（无文件名）", SizeText.of($0.size)) }, problems: problems.filter { $0.severity != .error },
                staffErrors: [], tag: "accepted-\(try store.reader.eventCount(submissionId: submissionId))", receivedAt: message.receivedAt)
            var reply = ReplyBuilder.record(planned, kind: .decision, messageRowId: nil, submissionId: submissionId, now: now)
            reply.contentKey = nil
            try store.insert(&reply)
            try store.log(EventRecord(at: now, actor: actor, kind: .replyQueued, submissionId: submissionId,
                                      detail: "工作人员采纳，发送受理回执 → \(submission.senderAddress)"))
            return reply.id!
        }
    }

    /// A submission staff want to answer, its latest version and the mail it came in: or why not.
    static func answerable(_ submissionId: Int64, store: StoreReader) throws -> (SubmissionRecord, VersionRecord, MessageRecord) {
        guard let submission = try store.submission(id: submissionId),
              let latest = try store.latestVersion(ofSubmission: submissionId),
              let message = try store.message(id: latest.messageRowId) else {
            throw StoreError("推报 \(submissionId) 没有可回复的邮件 (nothing to reply to)")
        }
        guard ReplyAddressing.recipient(for: InboundMessage(fromAddress: submission.senderAddress)) != nil else {
            throw StoreError("发件地址不可回复 (no safe recipient): \(submission.senderAddress)")
        }
        return (submission, latest, message)
    }
}
