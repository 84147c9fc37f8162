import Foundation
import Intake
import Store

/// Keeps `submission_search` in step with what is on file: the tracking number, nominee,
/// title, unit and sender of each submission and the text of its current essay. Written with
/// every filed version and every staff change of files; rebuilt whole when a store made before
/// the index (or before a change to what it holds) is opened.
public enum SearchIndex {
    /// Raise when the indexed text changes, so older stores rebuild.
    static let version = "1"
    static let settingKey = "search-index"

    /// Rewrites one submission's row.
    public static func refresh(submissionId: Int64, store: StoreWriter) throws {
        guard let submission = try store.reader.submission(id: submissionId) else { return }
        try store.setSearchText(submissionId: submissionId, trackingNumber: submission.trackingNumber, nominee: submission.nominee,
                                title: submission.title, unit: submission.unitName,
                                sender: [submission.senderName, submission.senderAddress].compactMap { $0 }.joined(separator: " "),
                                essay: try essay(of: submissionId, store.reader))
    }

    /// Whether the store was indexed by this version (a read: searching takes no write lock).
    public static func isCurrent(_ store: StoreReader) throws -> Bool {
        try store.setting(settingKey) == version
    }

    /// Rebuilds every row when the store has not been indexed by this version; a no-op otherwise.
    @discardableResult
    public static func rebuildIfNeeded(_ store: StoreWriter) throws -> Int {
        guard try !isCurrent(store.reader) else { return 0 }
        var count = 0
        for submission in try store.reader.allSubmissions() {
            try refresh(submissionId: submission.id!, store: store)
            count += 1
        }
        try store.setSetting(settingKey, to: version)
        return count
    }

    /// The text of the current version's essay (the latest version's, not removed).
    private static func essay(of submissionId: Int64, _ store: StoreReader) throws -> String? {
        guard let version = try store.latestVersion(ofSubmission: submissionId) else { return nil }
        for file in try store.files(ofVersion: version.id!) where file.role == .essay && file.removedAt == nil {
            if let text = try EssayIndex.essayText(sha256: file.sha256, store: store) { return text }
        }
        return nil
    }
}
