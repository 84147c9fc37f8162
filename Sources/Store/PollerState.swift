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

/// The IMAP IDLE connection of `tuibao serve`, as `tuibao status` shows it. One writer: the
/// service's IDLE watcher.
public struct MailboxIdleState: Codable, FetchableRecord, PersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "mailbox_idle"

    public enum State: String, Codable, Sendable, Hashable {
        /// Logging in, selecting the mailbox.
        case connecting
        /// In IDLE, waiting for the server to announce mail.
        case idling
        /// The connection was lost; waiting to connect again (with backoff).
        case reconnecting
        /// The server does not offer IDLE: polling at poll_interval only.
        case unsupported
        /// `[imap] idle = false`: polling at poll_interval only.
        case disabled
        /// The service stopped.
        case stopped
    }

    public var mailbox: String
    public var state: State
    /// Whether the server listed IDLE among its capabilities (nil: not connected yet).
    public var serverOffersIdle: Bool?
    /// When this run of the service started (reconnects count from here).
    public var serviceStartedAt: Date?
    /// When the current connection went into IDLE (kept across renewals of IDLE on it).
    public var idlingSince: Date?
    /// When the server last announced mail, and the count it gave (`* n EXISTS`).
    public var lastExistsAt: Date?
    public var lastExists: Int?
    public var reconnects: Int
    public var lastError: String?
    public var lastErrorAt: Date?
    public var updatedAt: Date

    public init(mailbox: String, state: State, serverOffersIdle: Bool? = nil, serviceStartedAt: Date? = nil,
                idlingSince: Date? = nil, lastExistsAt: Date? = nil, lastExists: Int? = nil, reconnects: Int = 0,
                lastError: String? = nil, lastErrorAt: Date? = nil, updatedAt: Date) {
        self.mailbox = mailbox
        self.state = state
        self.serverOffersIdle = serverOffersIdle
        self.serviceStartedAt = serviceStartedAt
        self.idlingSince = idlingSince
        self.lastExistsAt = lastExistsAt
        self.lastExists = lastExists
        self.reconnects = reconnects
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.updatedAt = updatedAt
    }
}

/// The poller's durable state: checkpoints, attempt counters, the IDLE connection.
extension TuibaoStore {
    public func checkpoint(for mailbox: String) throws -> MailboxCheckpoint {
        try database.read { db in try MailboxCheckpoint.fetchOne(db, key: mailbox) } ?? MailboxCheckpoint(mailbox: mailbox)
    }

    public func save(_ checkpoint: MailboxCheckpoint) throws {
        try database.write { db in try checkpoint.upsert(db) }
    }

    /// The IDLE connection's last recorded state, nil before `serve` first ran.
    public func idleState(for mailbox: String) throws -> MailboxIdleState? {
        try database.read { db in try MailboxIdleState.fetchOne(db, key: mailbox) }
    }

    public func save(_ idle: MailboxIdleState) throws {
        try database.write { db in try idle.upsert(db) }
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
