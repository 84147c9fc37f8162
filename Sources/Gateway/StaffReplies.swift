import Foundation
import GRDB
import Intake
import Store

/// Replies that staff ask for (a decision "needs correction" with what to fix), queued in the
/// same outbox as the automatic ones, threaded to the unit's latest mail.
extension IntakePipeline {
    public func queueCorrectionRequest(submissionId: Int64, note: String, actor: String, now: Date = Date()) throws -> Int64 {
        try store.database.write { db in
            guard let submission = try SubmissionRecord.fetchOne(db, key: submissionId),
                  let latest = try VersionRecord.filter(VersionRecord.Columns.submissionId == submissionId)
                      .order(VersionRecord.Columns.number.desc).fetchOne(db),
                  let message = try MessageRecord.fetchOne(db, key: latest.messageRowId) else {
                throw StoreError("推报 \(submissionId) 没有可回复的邮件 (nothing to reply to)")
            }
            guard ReplyAddressing.recipient(for: InboundMessage(fromAddress: submission.senderAddress)) != nil else {
                throw StoreError("发件地址不可回复 (no safe recipient): \(submission.senderAddress)")
            }
            let eventCount = try EventRecord.filter(EventRecord.Columns.submissionId == submissionId).fetchCount(db)
            var context = ReplyContext(
                trackingNumber: submission.trackingNumber, campaignName: configuration.campaign.name,
                officeName: configuration.officeName, officeContact: configuration.officeContact,
                senderName: submission.senderName, unitName: submission.unitName ?? submission.senderAddress,
                originalSubject: Self.strippedSubject(message.subject ?? ""), receivedAt: Self.chineseDate(message.receivedAt),
                versionNumber: latest.number, files: [], problems: [], earlier: [])
            context.staffErrors = [note]
            let rendered = try templates.render(.correct, context: context)
            var reply = ReplyRecord(id: nil, messageRowId: nil, submissionId: submissionId, kind: "decision",
                                    recipient: submission.senderAddress, subject: rendered.subject, body: rendered.body,
                                    headerMessageId: "tuibao-\(submission.trackingNumber.lowercased())-staff-\(eventCount)@\(configuration.replyDomain)",
                                    inReplyTo: message.messageId, referencesList: message.messageId ?? "",
                                    status: .queued, attempts: 0, lastError: nil, createdAt: now, sentAt: nil)
            try reply.insert(db)
            _ = try EventRecord(at: now, actor: actor, kind: "reply.queued", submissionId: submissionId,
                                detail: "工作人员要求补正 → \(submission.senderAddress)").inserted(db)
            return reply.id!
        }
    }
}
