import Foundation
import GRDB

/// One row of the staff queue.
public struct SubmissionSummary: Codable, Sendable, Hashable {
    public var id: Int64
    public var trackingNumber: String
    public var unitName: String?
    public var senderAddress: String
    public var senderName: String?
    public var title: String?
    public var status: SubmissionStatus
    public var versions: Int
    public var files: Int
    public var errors: Int
    public var warnings: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// From the nomination form: who, and 团队/个人.
    public var nominee: String? = nil
    public var category: String? = nil
    /// The staff member who looks after it.
    public var assignee: String? = nil
}

/// A filed mail and the submissions it made versions of.
public struct MessageOutcome: Sendable {
    public var message: MessageRecord
    public var trackingNumbers: [String]
}

/// Everything about one submission, for `tuibao show`.
public struct SubmissionDetail: Codable, Sendable {
    public struct Version: Codable, Sendable {
        public var version: VersionRecord
        public var message: MessageRecord
        public var files: [FileRecord]
        public var problems: [ProblemRecord]
    }
    public var submission: SubmissionRecord
    public var versions: [Version]
    public var replies: [ReplyRecord]
    public var events: [EventRecord]
}

public struct QueueFilter: Sendable {
    public var status: SubmissionStatus?
    public var unit: String?
    public var since: Date?
    /// Only the latest this many (by tracking number), still listed oldest first; nil: all.
    public var limit: Int?
    /// Only these submissions (a search's hits); nil: any.
    public var ids: [Int64]?
    /// Only those this staff member looks after.
    public var assignee: String?

    public init(status: SubmissionStatus? = nil, unit: String? = nil, since: Date? = nil, limit: Int? = nil,
                ids: [Int64]? = nil, assignee: String? = nil) {
        self.status = status
        self.unit = unit
        self.since = since
        self.limit = limit
        self.ids = ids
        self.assignee = assignee
    }

    /// The WHERE clause over `submission s` and its arguments.
    var whereClause: (sql: String, arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let status { conditions.append("s.status = ?"); arguments.append(status) }
        if let unit { conditions.append("s.unitName LIKE ?"); arguments.append("%\(unit)%") }
        if let since { conditions.append("s.createdAt >= ?"); arguments.append(since) }
        if let ids {
            // Ids are integers we made: written into the statement, no argument limit to hit.
            conditions.append("s.id IN (\(ids.map(String.init).joined(separator: ",")))")
        }
        if let assignee { conditions.append("s.assignee = ?"); arguments.append(assignee) }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), StatementArguments(arguments))
    }
}

/// The reads and the few writes staff commands make. Every staff write is logged as an event
/// in the same transaction.
extension TuibaoStore {
    /// The queue: one query for all rows (the counts come from the latest version of each), so
    /// listing 10,000 submissions costs one statement, not four per submission.
    public func submissions(_ filter: QueueFilter = QueueFilter()) throws -> [SubmissionSummary] {
        try database.read { db in
            let (whereClause, arguments) = filter.whereClause
            // Columns read by position: decoding each row through Codable (by column name)
            // cost most of `tuibao queue` at 10,000 submissions.
            let sql = """
                SELECT s.id, s.trackingNumber, s.unitName, s.senderAddress, s.senderName, s.title,
                       s.status, s.createdAt, s.updatedAt, s.nominee, s.category,
                       (SELECT COUNT(*) FROM version v WHERE v.submissionId = s.id) AS versionCount,
                       (SELECT COUNT(*) FROM file f WHERE f.versionId = latest.id AND f.removedAt IS NULL) AS fileCount,
                       (SELECT COUNT(*) FROM problem p WHERE p.versionId = latest.id AND p.severity = 'error') AS errorCount,
                       (SELECT COUNT(*) FROM problem p WHERE p.versionId = latest.id AND p.severity = 'warning') AS warningCount,
                       s.assignee
                FROM submission s
                LEFT JOIN version latest ON latest.id =
                    (SELECT id FROM version WHERE submissionId = s.id ORDER BY number DESC LIMIT 1)
                \(whereClause)
                \(filter.limit.map { "ORDER BY s.campaignId DESC, s.sequence DESC LIMIT \(max(0, $0))" } ?? "ORDER BY s.campaignId, s.sequence")
                """
            var summaries: [SubmissionSummary] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                var summary = SubmissionSummary(id: row[0], trackingNumber: row[1], unitName: row[2], senderAddress: row[3],
                                                senderName: row[4], title: row[5], status: row[6],
                                                versions: row[11], files: row[12], errors: row[13], warnings: row[14],
                                                createdAt: row[7], updatedAt: row[8])
                summary.nominee = row[9]
                summary.category = row[10]
                summary.assignee = row[15]
                summaries.append(summary)
            }
            return filter.limit == nil ? summaries : summaries.reversed()
        }
    }

    /// How many submissions the filter selects (its limit aside).
    public func submissionCount(_ filter: QueueFilter = QueueFilter()) throws -> Int {
        try database.read { db in
            let (whereClause, arguments) = filter.whereClause
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM submission s \(whereClause)", arguments: arguments) ?? 0
        }
    }

    /// A submission by tracking number (any case) or by row id.
    public func submission(identifiedBy identifier: String) throws -> SubmissionRecord? {
        try database.read { db in
            if let found = try SubmissionRecord.filter(SubmissionRecord.Columns.trackingNumber.collating(.nocase) == identifier)
                .fetchOne(db) {
                return found
            }
            return try Int64(identifier).flatMap { try SubmissionRecord.fetchOne(db, key: $0) }
        }
    }

    public func detail(of submissionId: Int64) throws -> SubmissionDetail? {
        try database.read { db in
            guard let submission = try SubmissionRecord.fetchOne(db, key: submissionId) else { return nil }
            let versions = try VersionRecord.filter(VersionRecord.Columns.submissionId == submissionId)
                .order(VersionRecord.Columns.number).fetchAll(db).map { version in
                    SubmissionDetail.Version(
                        version: version,
                        message: try MessageRecord.fetchOne(db, key: version.messageRowId)!,
                        files: try FileRecord.filter(FileRecord.Columns.versionId == version.id!).order(Column("id")).fetchAll(db),
                        problems: try ProblemRecord.filter(ProblemRecord.Columns.versionId == version.id!).order(Column("id")).fetchAll(db))
                }
            let replies = try ReplyRecord.filter(ReplyRecord.Columns.submissionId == submissionId).order(Column("id")).fetchAll(db)
            let events = try EventRecord.filter(EventRecord.Columns.submissionId == submissionId).order(Column("id")).fetchAll(db)
            return SubmissionDetail(submission: submission, versions: versions, replies: replies, events: events)
        }
    }

    /// The files of the submission's latest version.
    public func currentFiles(of submissionId: Int64) throws -> [FileRecord] {
        try database.read { db in
            guard let latest = try VersionRecord.filter(VersionRecord.Columns.submissionId == submissionId)
                .order(VersionRecord.Columns.number.desc).fetchOne(db) else { return [] }
            return try FileRecord.filter(FileRecord.Columns.versionId == latest.id! && Column("removedAt") == nil)
                .order(Column("id")).fetchAll(db)
        }
    }

    /// Messages received since a moment (all when nil), oldest first, each with the tracking
    /// numbers of the submissions it made versions of: what became of each mail.
    public func messageOutcomes(since: Date? = nil, limit: Int? = nil) throws -> [MessageOutcome] {
        try database.read { db in
            var request = MessageRecord.order(Column("id").desc)
            if let since { request = request.filter(Column("receivedAt") >= since) }
            if let limit { request = request.limit(limit) }
            let messages = try request.fetchAll(db).reversed()
            guard let first = messages.first?.id, let last = messages.last?.id else { return [] }
            var numbers: [Int64: [String]] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT v.messageRowId, s.trackingNumber FROM version v JOIN submission s ON s.id = v.submissionId
                WHERE v.messageRowId BETWEEN ? AND ? ORDER BY v.messageRowId, s.trackingNumber
                """, arguments: [first, last])
            while let row = try rows.next() { numbers[row[0], default: []].append(row[1]) }
            return messages.map { MessageOutcome(message: $0, trackingNumbers: numbers[$0.id ?? 0] ?? []) }
        }
    }

    public func messages(status: MessageStatus) throws -> [MessageRecord] {
        try database.read { db in
            try MessageRecord.filter(MessageRecord.Columns.status == status).order(Column("id")).fetchAll(db)
        }
    }

    public func replies(status: ReplyStatus? = nil) throws -> [ReplyRecord] {
        try database.read { db in
            var request = ReplyRecord.order(Column("id"))
            if let status { request = request.filter(ReplyRecord.Columns.status == status) }
            return try request.fetchAll(db)
        }
    }

    /// How many replies have this status (`status` counts; it need not read their bodies).
    public func replyCount(status: ReplyStatus) throws -> Int {
        try database.read { db in try ReplyRecord.filter(ReplyRecord.Columns.status == status).fetchCount(db) }
    }

    public func messageCount(status: MessageStatus) throws -> Int {
        try database.read { db in try MessageRecord.filter(MessageRecord.Columns.status == status).fetchCount(db) }
    }

    /// A staff decision: the new status and the note, logged with who made it.
    public func decide(submissionId: Int64, status: SubmissionStatus, note: String, actor: String, now: Date) throws {
        try database.write { db in
            guard var submission = try SubmissionRecord.fetchOne(db, key: submissionId) else { throw StoreError("no submission \(submissionId)") }
            let previous = submission.status
            submission.status = status
            submission.updatedAt = now
            try submission.update(db)
            _ = try EventRecord(at: now, actor: actor, kind: .staffDecision, submissionId: submissionId,
                                detail: "\(previous.label) → \(status.label)" + (note.isEmpty ? "" : "：\(note)")).inserted(db)
        }
    }

    public func addNote(submissionId: Int64, text: String, actor: String, now: Date) throws {
        try database.write { db in
            _ = try EventRecord(at: now, actor: actor, kind: .staffNote, submissionId: submissionId, detail: text).inserted(db)
        }
    }

    /// Unit name → how many of its submissions are in each status; records merged into
    /// another are left out (they live on in the one they joined).
    public func unitStatusCounts() throws -> [String: [SubmissionStatus: Int]] {
        try database.read { db in
            var counts: [String: [SubmissionStatus: Int]] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT unitName, status, COUNT(*) FROM submission
                WHERE unitName IS NOT NULL AND mergedIntoId IS NULL GROUP BY unitName, status
                """)
            while let row = try rows.next() {
                guard let status = SubmissionStatus(rawValue: row[1]) else { continue }
                counts[row[0], default: [:]][status] = row[2]
            }
            return counts
        }
    }
}
