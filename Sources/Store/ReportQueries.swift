import Foundation
import GRDB
import Intake

/// What the office report counts beyond the queue rows: problems, duplicates and pending
/// links of each submission's current version, and the outbox. Merged records are left out.
public struct ReportFigures: Sendable {
    public struct ProblemCount: Sendable, Hashable {
        public var code: ProblemCode
        /// Submissions whose current version has the problem.
        public var submissions: Int
    }

    public struct DuplicateFinding: Sendable, Hashable {
        public var trackingNumber: String
        public var code: ProblemCode
        /// The record it repeats: a tracking number of this campaign or an earlier list's id.
        public var matched: String
    }

    public struct PendingLinks: Sendable, Hashable {
        public var trackingNumber: String
        /// The links as JSON (the examiner's `PendingLink` list).
        public var linksJSON: String
    }

    public var problems: [ProblemCount]
    public var duplicates: [DuplicateFinding]
    public var pendingLinks: [PendingLinks]
    public var replies: [ReplyStatus: Int]
    public var messages: [MessageStatus: Int]
}

extension TuibaoStore {
    public func reportFigures() throws -> ReportFigures {
        try database.read { db in
            // The current version of every live (not merged) submission.
            let current = """
                SELECT s.id AS submissionId, s.trackingNumber, v.id AS versionId, v.pendingLinks FROM submission s
                JOIN version v ON v.id = (SELECT id FROM version WHERE submissionId = s.id ORDER BY number DESC LIMIT 1)
                WHERE s.mergedIntoId IS NULL
                """
            let problems = try Row.fetchAll(db, sql: """
                WITH current AS (\(current))
                SELECT p.code, COUNT(DISTINCT c.submissionId) FROM current c JOIN problem p ON p.versionId = c.versionId
                GROUP BY p.code ORDER BY COUNT(DISTINCT c.submissionId) DESC, p.code
                """).compactMap { row -> ReportFigures.ProblemCount? in
                    guard let code = ProblemCode(rawValue: row[0]) else { return nil }
                    return ReportFigures.ProblemCount(code: code, submissions: row[1])
                }
            let duplicates = try Row.fetchAll(db, sql: """
                WITH current AS (\(current))
                SELECT c.trackingNumber, m.code, other.trackingNumber, earlier.externalId, earlier.campaignId
                FROM current c JOIN duplicate_match m ON m.versionId = c.versionId
                LEFT JOIN submission other ON other.id = m.otherSubmissionId
                LEFT JOIN earlier_record earlier ON earlier.id = m.earlierRecordId
                ORDER BY c.trackingNumber, m.id
                """).compactMap { row -> ReportFigures.DuplicateFinding? in
                    guard let code = ProblemCode(rawValue: row[1]) else { return nil }
                    let other: String? = row[2], earlierId: String? = row[3], campaign: String? = row[4]
                    let matched = other ?? [campaign, earlierId].compactMap { $0 }.joined(separator: " ")
                    return ReportFigures.DuplicateFinding(trackingNumber: row[0], code: code, matched: matched)
                }
            let pending = try Row.fetchAll(db, sql: "WITH current AS (\(current)) SELECT trackingNumber, pendingLinks FROM current "
                                           + "WHERE pendingLinks != '[]' ORDER BY trackingNumber")
                .map { ReportFigures.PendingLinks(trackingNumber: $0[0], linksJSON: $0[1]) }
            var replies: [ReplyStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM reply GROUP BY status") {
                if let status = ReplyStatus(rawValue: row[0]) { replies[status] = row[1] }
            }
            var messages: [MessageStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM message GROUP BY status") {
                if let status = MessageStatus(rawValue: row[0]) { messages[status] = row[1] }
            }
            return ReportFigures(problems: problems, duplicates: duplicates, pendingLinks: pending, replies: replies, messages: messages)
        }
    }
}
