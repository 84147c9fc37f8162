import Foundation
import GRDB
import Intake

/// A submission found by `tuibao search`, with the passage that matched.
public struct SearchHit: Sendable, Hashable {
    public var submissionId: Int64
    /// Where the words were found, marked 【thus】, or nil when only a short word matched.
    public var snippet: String?
}

/// Search over submissions (SQLite FTS5 with the trigram tokenizer) and who looks after them.
extension StoreWriter {
    /// Rewrites one submission's searchable text.
    public func setSearchText(submissionId: Int64, trackingNumber: String, nominee: String?, title: String?, unit: String?,
                              sender: String, essay: String?) throws {
        try db.execute(sql: "DELETE FROM submission_search WHERE rowid = ?", arguments: [submissionId])
        try db.execute(sql: """
            INSERT INTO submission_search (rowid, trackingNumber, nominee, title, unit, sender, essay) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [submissionId, trackingNumber, nominee ?? "", title ?? "", unit ?? "", sender, essay ?? ""])
    }
}

extension TuibaoStore {
    /// Submissions whose tracking number, nominee, title, unit, sender or essay holds every
    /// word, best first. Words of three characters or more use the trigram index; shorter
    /// ones (a two-character name such as 刘䶮) are matched as substrings of the same text.
    public func search(_ words: [String], limit: Int? = nil) throws -> [SearchHit] {
        let words = words.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !words.isEmpty else { return [] }
        let long = words.filter { $0.count >= 3 }, short = words.filter { $0.count < 3 }
        var conditions: [String] = [], arguments: [(any DatabaseValueConvertible)?] = []
        if !long.isEmpty {
            conditions.append("submission_search MATCH ?")
            // Each word a phrase: quotes doubled, so nothing in it is FTS5 syntax.
            arguments.append(long.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " AND "))
        }
        for word in short {
            let pattern = "%" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            conditions.append("(" + ["trackingNumber", "nominee", "title", "unit", "sender", "essay"]
                .map { "\($0) LIKE ? ESCAPE '\\'" }.joined(separator: " OR ") + ")")
            arguments += Array(repeating: pattern, count: 6)
        }
        // A short word has no FTS5 snippet: cut one from the essay (or title) around its first match.
        var snippet = "snippet(submission_search, -1, '【', '】', '…', 12)"
        if long.isEmpty, let word = short.first {
            snippet = """
                CASE WHEN instr(essay, ?1) > 0
                     THEN '…' || replace(substr(essay, max(instr(essay, ?1) - 12, 1), 24 + length(?1)), ?1, '【' || ?1 || '】') || '…'
                     WHEN instr(title, ?1) > 0 THEN replace(title, ?1, '【' || ?1 || '】') END
                """
            arguments.insert(word, at: 0)
        }
        let order = long.isEmpty ? "rowid" : "bm25(submission_search), rowid"
        let sql = """
            SELECT rowid, \(snippet) FROM submission_search WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(order) \(limit.map { "LIMIT \(max(0, $0))" } ?? "")
            """
        return try database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { SearchHit(submissionId: $0[0], snippet: $0[1]) }
        }
    }

    /// Gives a submission to a staff member (nil: to nobody), logged with who did it.
    public func assign(submissionId: Int64, to assignee: String?, actor: String, now: Date) throws {
        try write { store in
            guard var submission = try store.reader.submission(id: submissionId) else {
                throw StoreError("没有编号为 \(submissionId) 的推报 (no such submission)")
            }
            let before = submission.assignee
            submission.assignee = assignee
            try store.update(submission)
            try store.log(EventRecord(at: now, actor: actor, kind: .submissionAssigned, submissionId: submissionId,
                                      detail: "经办人 \(before ?? "（无）") → \(assignee ?? "（无）")"))
        }
    }
}
