import Foundation
import GRDB

/// How much the store holds, for benchmarks and `status`.
public struct StoreCounts: Sendable, Hashable {
    public var submissions: Int
    public var versions: Int
    public var messages: Int

    public init(submissions: Int, versions: Int, messages: Int) {
        self.submissions = submissions
        self.versions = versions
        self.messages = messages
    }
}

extension TuibaoStore {
    /// Folds the write-ahead log into the database file, so its size on disk is the store's.
    public func checkpoint() throws {
        try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    public func counts() throws -> StoreCounts {
        try database.read { db in
            StoreCounts(submissions: try SubmissionRecord.fetchCount(db), versions: try VersionRecord.fetchCount(db),
                        messages: try MessageRecord.fetchCount(db))
        }
    }
}

extension StoreReader {
    /// Whether any stored essay fingerprint satisfies `predicate`, reading them one by one (the
    /// brute-force scan the duplicate benchmark compares the index with).
    public func anyEssayFingerprint(where predicate: (EssayFingerprintRecord) -> Bool) throws -> Bool {
        try EssayFingerprintRecord.fetchCursor(db).contains(where: predicate)
    }
}
