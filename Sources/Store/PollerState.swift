import Foundation
import GRDB

public struct MailboxCheckpoint: Codable, FetchableRecord, PersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "mailbox_checkpoint"
    public var mailbox: String
    public var uidValidity: Int64?
    public var lastUid: Int64
    public var lastPollAt: Date?
    public var lastError: String?
    public var lastErrorAt: Date?

    public init(mailbox: String, uidValidity: Int64? = nil, lastUid: Int64 = 0, lastPollAt: Date? = nil,
                lastError: String? = nil, lastErrorAt: Date? = nil) {
        self.mailbox = mailbox
        self.uidValidity = uidValidity
        self.lastUid = lastUid
        self.lastPollAt = lastPollAt
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
    }
}

/// The poller's durable state: checkpoints and attempt counters.
extension TuibaoStore {
    public func checkpoint(for mailbox: String) throws -> MailboxCheckpoint {
        try database.read { db in try MailboxCheckpoint.fetchOne(db, key: mailbox) } ?? MailboxCheckpoint(mailbox: mailbox)
    }

    public func save(_ checkpoint: MailboxCheckpoint) throws {
        try database.write { db in try checkpoint.upsert(db) }
    }

    /// Marks a server message as in hand before its work starts. Still in hand from last time
    /// means the service died holding it (a deploy, the OOM killer, a power cut, or the message
    /// killing the service itself): one more interruption, not an attempt.
    public func beginAttempt(mailbox: String, uidValidity: UInt64, uid: UInt64) throws -> MessageAttempts {
        try database.write { db in
            let key: StatementArguments = [mailbox, Int64(uidValidity), Int64(uid)]
            try db.execute(sql: """
                INSERT INTO imap_attempt (mailbox, uidValidity, uid, inHand) VALUES (?, ?, ?, 1)
                ON CONFLICT (mailbox, uidValidity, uid) DO UPDATE SET interruptions = interruptions + inHand, inHand = 1
                """, arguments: key)
            return try attempts(db, key)
        }
    }

    /// The work on a message ended; `died` says why it died (its parser or examiner child, or
    /// an error), which counts as an attempt.
    public func endAttempt(mailbox: String, uidValidity: UInt64, uid: UInt64, died: String? = nil) throws {
        try database.write { db in
            try db.execute(sql: """
                UPDATE imap_attempt SET inHand = 0, attempts = attempts + ?, lastError = coalesce(?, lastError)
                WHERE mailbox = ? AND uidValidity = ? AND uid = ?
                """, arguments: [died == nil ? 0 : 1, died, mailbox, Int64(uidValidity), Int64(uid)])
        }
    }

    public func attempts(mailbox: String, uidValidity: UInt64, uid: UInt64) throws -> MessageAttempts {
        try database.read { db in try attempts(db, [mailbox, Int64(uidValidity), Int64(uid)]) }
    }

    private func attempts(_ db: Database, _ key: StatementArguments) throws -> MessageAttempts {
        let row = try Row.fetchOne(db, sql: """
            SELECT attempts, interruptions, lastError FROM imap_attempt WHERE mailbox = ? AND uidValidity = ? AND uid = ?
            """, arguments: key)
        return MessageAttempts(attempts: row?["attempts"] ?? 0, interruptions: row?["interruptions"] ?? 0, lastError: row?["lastError"])
    }
}

/// How often the work on one server message died, and how often the service died holding it.
public struct MessageAttempts: Sendable, Hashable {
    public var attempts: Int
    public var interruptions: Int
    public var lastError: String?

    public init(attempts: Int, interruptions: Int, lastError: String? = nil) {
        self.attempts = attempts
        self.interruptions = interruptions
        self.lastError = lastError
    }
}
