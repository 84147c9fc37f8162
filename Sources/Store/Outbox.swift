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

    /// Puts a failed or held reply back in the queue; a sent one only when staff say `again`,
    /// and then under a new Message-ID (mail systems drop a second mail with the same one).
    public func requeue(replyId: Int64, again: Bool = false, actor: String, now: Date) throws {
        try write { store in
            guard var reply = try store.reader.reply(id: replyId) else { throw StoreError("没有编号为 \(replyId) 的回复 (no such reply)") }
            switch reply.status {
            case .failed, .suppressed:
                break
            case .queued:
                throw StoreError("回复 \(replyId) 已在待发队列中，会自动发出，无需重发 (already queued)")
            case .sent where !again:
                throw StoreError("回复 \(replyId) 已发送；确需再发一次请加 --again (already sent: add --again to send it once more)")
            case .sent:
                let parts = reply.headerMessageId.split(separator: "@", maxSplits: 1)
                let local = "\(parts.first ?? "tuibao").again\(Int(now.timeIntervalSince1970))"
                reply.headerMessageId = parts.count == 2 ? "\(local)@\(parts[1])" : local
                reply.sentAt = nil
            }
            let wasSent = reply.status == .sent
            reply.status = .queued
            reply.attempts = 0
            reply.nextAttemptAt = nil
            reply.lastError = nil
            try store.update(reply)
            try store.log(EventRecord(at: now, actor: actor, kind: .replyRequeued, submissionId: reply.submissionId,
                                      messageRowId: reply.messageRowId, detail: wasSent ? "再次发送已发出的回复" : "重新发送"))
        }
    }
}

extension StoreWriter {
    public func update(_ record: ReplyRecord) throws { try record.update(db) }
}
