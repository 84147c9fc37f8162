import Foundation
import GRDB
import Intake

// The committee review (`tuibao review`): one record type per table of migration v13-review and
// every query the review makes. Each staff write logs its events in the same transaction.

extension ScoreSource: DatabaseValueConvertible {}

/// A review round: its criteria and k as they were when it was opened (a later change of the
/// configuration does not rewrite a round in progress), opened and closed by whom, when.
public struct ReviewRoundRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "review_round"
    public var id: Int64?
    public var name: String
    public var criteria: [ReviewCriterion]
    public var reviewersPerDeed: Int
    public var openedAt: Date
    public var openedBy: String
    public var closedAt: Date?
    public var closedBy: String?

    public init(name: String, criteria: [ReviewCriterion], reviewersPerDeed: Int, openedAt: Date, openedBy: String) {
        self.name = name
        self.criteria = criteria
        self.reviewersPerDeed = reviewersPerDeed
        self.openedAt = openedAt
        self.openedBy = openedBy
    }

    public var isClosed: Bool { closedAt != nil }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct ReviewShortlistRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "review_shortlist"
    public var roundId: Int64
    public var submissionId: Int64
    public var addedAt: Date
    public var addedBy: String
}

/// One reviewer (by address, lowercased) given one deed of a round.
public struct ReviewAssignmentRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "review_assignment"
    public var id: Int64?
    public var roundId: Int64
    public var submissionId: Int64
    public var reviewer: String
    public var assignedAt: Date
    public var assignedBy: String

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A declared conflict of interest: the reviewer must not review this deed, or any deed of this unit.
public struct ReviewConflictRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "review_conflict"
    public var id: Int64?
    public var roundId: Int64
    public var reviewer: String
    public var submissionId: Int64?
    public var unitName: String?
    public var reason: String
    public var declaredAt: Date
    public var declaredBy: String

    public init(roundId: Int64, reviewer: String, submissionId: Int64?, unitName: String?, reason: String, declaredAt: Date, declaredBy: String) {
        self.roundId = roundId
        self.reviewer = reviewer
        self.submissionId = submissionId
        self.unitName = unitName
        self.reason = reason
        self.declaredAt = declaredAt
        self.declaredBy = declaredBy
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One entry of scores for (round, deed, reviewer): version n supersedes 1 … n-1 criterion by
/// criterion; all are kept.
public struct ReviewEntryRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "review_entry"
    public var id: Int64?
    public var roundId: Int64
    public var submissionId: Int64
    public var reviewer: String
    public var version: Int
    public var comment: String?
    public var source: ScoreSource
    public var enteredAt: Date
    public var enteredBy: String
    /// The returned scoring sheet this entry was read from (source `sheet`).
    public var returnId: Int64? = nil

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct ReviewScoreRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "review_score"
    public var entryId: Int64
    public var criterion: String
    public var value: Double
}

/// An entry with its values, in the order they were given.
public struct ReviewEntry: Sendable, Hashable {
    public var entry: ReviewEntryRecord
    public var scores: [ReviewScoreRecord]
}

/// Everything about one round, read in one transaction.
public struct ReviewRoundState: Sendable {
    public var round: ReviewRoundRecord
    public var shortlist: [ReviewShortlistRecord]
    public var assignments: [ReviewAssignmentRecord]
    public var conflicts: [ReviewConflictRecord]
    /// Every entry ever made, oldest first.
    public var entries: [ReviewEntry]
}

extension TuibaoStore {
    // MARK: Reading

    public func reviewRounds() throws -> [ReviewRoundRecord] {
        try database.read { db in try ReviewRoundRecord.order(Column("id")).fetchAll(db) }
    }

    public func reviewRound(named name: String) throws -> ReviewRoundRecord? {
        try database.read { db in try ReviewRoundRecord.filter(Column("name") == name).fetchOne(db) }
    }

    public func reviewRoundState(roundId: Int64) throws -> ReviewRoundState? {
        try database.read { db in
            guard let round = try ReviewRoundRecord.fetchOne(db, key: roundId) else { return nil }
            let shortlist = try ReviewShortlistRecord.filter(Column("roundId") == roundId)
                .order(Column("addedAt"), Column("submissionId")).fetchAll(db)
            let assignments = try ReviewAssignmentRecord.filter(Column("roundId") == roundId).order(Column("id")).fetchAll(db)
            let conflicts = try ReviewConflictRecord.filter(Column("roundId") == roundId).order(Column("id")).fetchAll(db)
            let entries = try ReviewEntryRecord.filter(Column("roundId") == roundId).order(Column("id")).fetchAll(db)
            var scores: [Int64: [ReviewScoreRecord]] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT s.entryId, s.criterion, s.value FROM review_score s JOIN review_entry e ON e.id = s.entryId
                WHERE e.roundId = ? ORDER BY s.entryId, s.rowid
                """, arguments: [roundId])
            while let row = try rows.next() {
                scores[row[0], default: []].append(ReviewScoreRecord(entryId: row[0], criterion: row[1], value: row[2]))
            }
            return ReviewRoundState(round: round, shortlist: shortlist, assignments: assignments, conflicts: conflicts,
                                    entries: entries.map { ReviewEntry(entry: $0, scores: scores[$0.id!] ?? []) })
        }
    }

    // MARK: Writing (each logged)

    /// Opens a round; the schema refuses a second open round and a name used before.
    public func openReviewRound(_ round: ReviewRoundRecord) throws -> ReviewRoundRecord {
        try database.write { db in
            let inserted = try round.inserted(db)
            let criteria = round.criteria.map { "\($0.name) \(Self.weightText($0.weight))" }.joined(separator: "，")
            _ = try EventRecord(at: round.openedAt, actor: round.openedBy, kind: .reviewOpened,
                                detail: "评审轮次「\(round.name)」：\(criteria)；每件 \(round.reviewersPerDeed) 位评审专家").inserted(db)
            return inserted
        }
    }

    public func closeReviewRound(roundId: Int64, actor: String, now: Date) throws -> ReviewRoundRecord {
        try database.write { db in
            guard var round = try ReviewRoundRecord.fetchOne(db, key: roundId) else { throw StoreError("no review round \(roundId)") }
            round.closedAt = now
            round.closedBy = actor
            try round.update(db)
            _ = try EventRecord(at: now, actor: actor, kind: .reviewClosed, detail: "评审轮次「\(round.name)」结束，评分冻结").inserted(db)
            return round
        }
    }

    /// Puts deeds on the round's shortlist (those already on it are left as they are).
    public func shortlist(roundId: Int64, submissionIds: [Int64], roundName: String, actor: String, now: Date) throws {
        try database.write { db in
            for submissionId in submissionIds {
                guard try ReviewShortlistRecord.fetchOne(db, key: ["roundId": roundId, "submissionId": submissionId]) == nil else { continue }
                try ReviewShortlistRecord(roundId: roundId, submissionId: submissionId, addedAt: now, addedBy: actor).insert(db)
                _ = try EventRecord(at: now, actor: actor, kind: .reviewShortlisted, submissionId: submissionId,
                                    detail: "列入评审轮次「\(roundName)」").inserted(db)
            }
        }
    }

    /// Takes deeds off the shortlist, with their assignments (scores already entered stay on file).
    public func unlist(roundId: Int64, submissionIds: [Int64], roundName: String, actor: String, now: Date) throws {
        try database.write { db in
            for submissionId in submissionIds {
                try db.execute(sql: "DELETE FROM review_assignment WHERE roundId = ? AND submissionId = ?", arguments: [roundId, submissionId])
                try db.execute(sql: "DELETE FROM review_shortlist WHERE roundId = ? AND submissionId = ?", arguments: [roundId, submissionId])
                if db.changesCount > 0 {
                    _ = try EventRecord(at: now, actor: actor, kind: .reviewUnlisted, submissionId: submissionId,
                                        detail: "移出评审轮次「\(roundName)」").inserted(db)
                }
            }
        }
    }

    /// Records a conflict and releases the assignments it forbids (`released`: the deeds whose
    /// assignment to this reviewer ends).
    public func declareReviewConflict(_ conflict: ReviewConflictRecord, reviewerName: String, released: [Int64]) throws {
        try database.write { db in
            _ = try conflict.inserted(db)
            let what = conflict.unitName.map { "本单位（\($0)）的推报" } ?? "此件推报"
            _ = try EventRecord(at: conflict.declaredAt, actor: conflict.declaredBy, kind: .reviewConflict, submissionId: conflict.submissionId,
                                detail: "评审专家 \(reviewerName) 回避\(what)：\(conflict.reason)").inserted(db)
            for submissionId in released {
                try db.execute(sql: "DELETE FROM review_assignment WHERE roundId = ? AND submissionId = ? AND reviewer = ?",
                               arguments: [conflict.roundId, submissionId, conflict.reviewer])
                guard db.changesCount > 0 else { continue }
                _ = try EventRecord(at: conflict.declaredAt, actor: conflict.declaredBy, kind: .reviewUnassigned, submissionId: submissionId,
                                    detail: "评审专家 \(reviewerName) 因回避不再评审此件").inserted(db)
            }
        }
    }

    /// New assignments: (deed, reviewer address, reviewer's name for the log).
    public func addReviewAssignments(roundId: Int64, _ assignments: [(submissionId: Int64, reviewer: String, reviewerName: String)],
                                     actor: String, now: Date) throws {
        try database.write { db in
            for assignment in assignments {
                _ = try ReviewAssignmentRecord(roundId: roundId, submissionId: assignment.submissionId, reviewer: assignment.reviewer,
                                               assignedAt: now, assignedBy: actor).inserted(db)
                _ = try EventRecord(at: now, actor: actor, kind: .reviewAssigned, submissionId: assignment.submissionId,
                                    detail: "分配给评审专家 \(assignment.reviewerName) <\(assignment.reviewer)>").inserted(db)
            }
        }
    }

    /// Files one entry of scores as the next version for (round, deed, reviewer); returns it.
    /// `summary` is what the event log says (the caller words it: names, values, source).
    public func recordReviewScores(roundId: Int64, submissionId: Int64, reviewer: String, values: [(criterion: String, value: Double)],
                                   comment: String?, source: ScoreSource, actor: String, now: Date, summary: String) throws -> ReviewEntry {
        try write { store in
            try store.recordReviewScores(roundId: roundId, submissionId: submissionId, reviewer: reviewer, values: values,
                                         comment: comment, source: source, returnId: nil, actor: actor, now: now, summary: summary)
        }
    }

    static func weightText(_ weight: Double) -> String {
        weight == weight.rounded() ? String(Int(weight)) : String(weight)
    }
}

extension StoreWriter {
    /// One entry of scores as the next version of (round, deed, reviewer), logged; inside the
    /// caller's transaction, so a returned sheet's entries are filed together or not at all.
    public func recordReviewScores(roundId: Int64, submissionId: Int64, reviewer: String, values: [(criterion: String, value: Double)],
                                   comment: String?, source: ScoreSource, returnId: Int64?, actor: String, now: Date,
                                   summary: String) throws -> ReviewEntry {
        let previous = try Int.fetchOne(db, sql: """
            SELECT MAX(version) FROM review_entry WHERE roundId = ? AND submissionId = ? AND reviewer = ?
            """, arguments: [roundId, submissionId, reviewer]) ?? 0
        var record = ReviewEntryRecord(roundId: roundId, submissionId: submissionId, reviewer: reviewer, version: previous + 1,
                                       comment: comment, source: source, enteredAt: now, enteredBy: actor)
        record.returnId = returnId
        let entry = try record.inserted(db)
        var scores: [ReviewScoreRecord] = []
        for (criterion, value) in values {
            let score = ReviewScoreRecord(entryId: entry.id!, criterion: criterion, value: value)
            try score.insert(db)
            scores.append(score)
        }
        _ = try EventRecord(at: now, actor: actor, kind: .reviewScored, submissionId: submissionId,
                            detail: "\(summary)（第 \(entry.version) 版）").inserted(db)
        return ReviewEntry(entry: entry, scores: scores)
    }
}
