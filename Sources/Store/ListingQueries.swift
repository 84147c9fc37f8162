import Foundation
import GRDB
import Intake

/// What the submission list (`tuibao export`) shows of one submission besides its queue row:
/// the current version's problems, the staff's notes and the cached facts of its form.
public struct SubmissionListing: Sendable {
    public struct Problem: Sendable, Hashable {
        public var severity: Severity
        public var message: String
    }

    public struct Note: Sendable, Hashable {
        public var at: Date
        public var actor: String
        public var text: String
    }

    public var summary: SubmissionSummary
    /// The problems of the latest version, in the order they were found.
    public var problems: [Problem]
    /// `tuibao note`, oldest first.
    public var notes: [Note]
    /// The examiner's facts (MaterialChecks.MaterialFacts as JSON) of the latest version's files
    /// that may hold the form: those in the form role first, then archives and files of no role.
    public var formFacts: [String]
}

extension TuibaoStore {
    /// The queue rows the filter selects, each with its problems, notes and form facts: four
    /// statements in all, whatever the number of submissions.
    public func listing(_ filter: QueueFilter = QueueFilter()) throws -> [SubmissionListing] {
        var filter = filter
        filter.limit = nil
        let summaries = try submissions(filter)
        var problems: [Int64: [SubmissionListing.Problem]] = [:]
        var notes: [Int64: [SubmissionListing.Note]] = [:]
        var facts: [Int64: [String]] = [:]
        try database.read { db in
            let (whereClause, arguments) = filter.whereClause
            let latest = "JOIN version latest ON latest.id = (SELECT id FROM version WHERE submissionId = s.id ORDER BY number DESC LIMIT 1)"
            for row in try Row.fetchAll(db, sql: """
                SELECT s.id, p.severity, p.message FROM submission s \(latest)
                JOIN problem p ON p.versionId = latest.id
                \(whereClause) ORDER BY p.id
                """, arguments: arguments) {
                problems[row[0], default: []].append(SubmissionListing.Problem(severity: row[1], message: row[2]))
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT s.id, e.at, e.actor, e.detail FROM submission s
                JOIN event e ON e.submissionId = s.id AND e.kind = ?
                \(whereClause) ORDER BY e.id
                """, arguments: [EventKind.staffNote] + arguments) {
                notes[row[0], default: []].append(SubmissionListing.Note(at: row[1], actor: row[2], text: row[3]))
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT s.id, m.facts FROM submission s \(latest)
                JOIN file f ON f.versionId = latest.id AND f.removedAt IS NULL
                    AND (f.role IS NULL OR f.role IN (?, ?))
                JOIN material m ON m.sha256 = f.sha256
                \(whereClause) ORDER BY (f.role IS ?) DESC, f.id, m.name
                """, arguments: [FileRole.form, FileRole.container] + arguments + [FileRole.form]) {
                facts[row[0], default: []].append(row[1])
            }
        }
        return summaries.map { summary in
            SubmissionListing(summary: summary, problems: problems[summary.id] ?? [], notes: notes[summary.id] ?? [],
                              formFacts: facts[summary.id] ?? [])
        }
    }
}
