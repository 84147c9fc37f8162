import Foundation
import GRDB
import Intake

/// The outbox: replies waiting to go out, and what became of each attempt.
extension TuibaoStore {
    /// Queued replies whose time has come (never tried, or their backoff has passed), oldest first.
    public func dueReplies(now: Date) throws -> [ReplyRecord] {
        try database.read { db in
            try ReplyRecord.filter(ReplyRecord.Columns.status == ReplyStatus.queued)
                .filter(Column("nextAttemptAt") == nil || Column("nextAttemptAt") <= now)
                .order(Column("id")).fetchAll(db)
        }
    }

    /// Keeps the outcome of one send attempt (sent, deferred or failed) with its event.
    public func recordAttempt(_ reply: ReplyRecord, event: EventKind, detail: String, now: Date) throws {
        try write { store in
            try store.update(reply)
            try store.log(EventRecord(at: now, actor: "system", kind: event, submissionId: reply.submissionId,
                                      messageRowId: reply.messageRowId, detail: detail))
        }
    }

    /// A failed or suppressed reply back into the queue (`tuibao resend`), logged.
    public func requeue(replyId: Int64, actor: String, now: Date) throws {
        try write { store in
            guard var reply = try store.reader.reply(id: replyId) else { throw StoreError("没有编号为 \(replyId) 的回复 (no such reply)") }
            guard reply.status == .failed || reply.status == .suppressed else {
                throw StoreError("回复 \(replyId) 不是发送失败或未发送状态 (\(reply.status.rawValue))")
            }
            reply.status = .queued
            reply.attempts = 0
            reply.nextAttemptAt = nil
            try store.update(reply)
            try store.log(EventRecord(at: now, actor: actor, kind: .replyRequeued, submissionId: reply.submissionId,
                                      messageRowId: reply.messageRowId, detail: "重新发送"))
        }
    }
}

extension StoreWriter {
    public func update(_ record: ReplyRecord) throws { try record.update(db) }
}
