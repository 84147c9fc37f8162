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

    /// Counts one more attempt at a server message (committed before processing starts).
    public func recordAttempt(mailbox: String, uidValidity: UInt64, uid: UInt64) throws -> Int {
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO imap_attempt (mailbox, uidValidity, uid, attempts) VALUES (?, ?, ?, 1)
                ON CONFLICT (mailbox, uidValidity, uid) DO UPDATE SET attempts = attempts + 1
                """, arguments: [mailbox, Int64(uidValidity), Int64(uid)])
            return try Int.fetchOne(db, sql: "SELECT attempts FROM imap_attempt WHERE mailbox = ? AND uidValidity = ? AND uid = ?",
                                    arguments: [mailbox, Int64(uidValidity), Int64(uid)]) ?? 1
        }
    }

    /// How often intake was attempted on this message (0: never).
    public func attempts(mailbox: String, uidValidity: UInt64, uid: UInt64) throws -> Int {
        try database.read { db in
            try Int.fetchOne(db, sql: "SELECT attempts FROM imap_attempt WHERE mailbox = ? AND uidValidity = ? AND uid = ?",
                             arguments: [mailbox, Int64(uidValidity), Int64(uid)]) ?? 0
        }
    }

    public func recordAttemptError(mailbox: String, uidValidity: UInt64, uid: UInt64, error: String) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE imap_attempt SET lastError = ? WHERE mailbox = ? AND uidValidity = ? AND uid = ?",
                           arguments: [error, mailbox, Int64(uidValidity), Int64(uid)])
        }
    }
}
