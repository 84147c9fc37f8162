import Foundation
import GRDB

/// A campaign whose list was imported (`tuibao campaign add|import`).
public struct EarlierCampaignRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "earlier_campaign"
    public var id: String
    public var name: String
    public var createdAt: Date

    public init(id: String, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}

/// One deed an earlier campaign took, with normalised keys for matching.
public struct EarlierRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "earlier_record"
    public var id: Int64?
    public var campaignId: String
    public var externalId: String
    public var unit: String
    public var unitKey: String
    public var category: String?
    public var nominee: String?
    public var nomineeKey: String?
    public var title: String
    public var titleKey: String
    public var submittedOn: String?
    public var importedAt: Date

    public init(id: Int64? = nil, campaignId: String, externalId: String, unit: String, unitKey: String, category: String?,
                nominee: String?, nomineeKey: String?, title: String, titleKey: String, submittedOn: String?, importedAt: Date) {
        self.id = id
        self.campaignId = campaignId
        self.externalId = externalId
        self.unit = unit
        self.unitKey = unitKey
        self.category = category
        self.nominee = nominee
        self.nomineeKey = nomineeKey
        self.title = title
        self.titleKey = titleKey
        self.submittedOn = submittedOn
        self.importedAt = importedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct EarlierFileRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "earlier_file"
    public var recordId: Int64
    public var fileName: String?
    public var sha256: String

    public init(recordId: Int64, fileName: String?, sha256: String) {
        self.recordId = recordId
        self.fileName = fileName
        self.sha256 = sha256
    }
}

/// An essay's MinHash signature (little-endian UInt32s), owned by an earlier record or a submission.
public struct EssayFingerprintRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "essay_fingerprint"
    public var id: Int64?
    public var earlierRecordId: Int64?
    public var submissionId: Int64?
    public var sha256: String
    public var normalizedLength: Int
    public var shingleCount: Int
    public var signature: Data

    public init(id: Int64? = nil, earlierRecordId: Int64?, submissionId: Int64?, sha256: String, normalizedLength: Int,
                shingleCount: Int, signature: Data) {
        self.id = id
        self.earlierRecordId = earlierRecordId
        self.submissionId = submissionId
        self.sha256 = sha256
        self.normalizedLength = normalizedLength
        self.shingleCount = shingleCount
        self.signature = signature
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// Stores the fingerprint, one index row per band key and one per passage anchor.
    public mutating func insert(_ db: Database, bandKeys: [Int64], anchorKeys: [Int64] = []) throws {
        try insert(db)
        let band = try db.cachedStatement(sql: "INSERT INTO essay_band (bandKey, fingerprintId) VALUES (?, ?)")
        for key in bandKeys { try band.execute(arguments: [key, id!]) }
        let anchor = try db.cachedStatement(sql: "INSERT INTO essay_anchor (anchorKey, fingerprintId) VALUES (?, ?)")
        for key in anchorKeys { try anchor.execute(arguments: [key, id!]) }
    }

    /// The candidates for an exact comparison: fingerprints sharing at least one band key
    /// (similar as wholes), or at least a quarter of the query's passage anchors, and never
    /// fewer than three (one contains the other, or most of it). Every anchor of a stored essay
    /// is kept, but a query looks up only its `queryAnchors` smallest (a bottom-k sample: a
    /// passage's anchors are the same in both texts, so the sample of a copy still lands in the
    /// original), which bounds the rows a check reads whatever the essay's length.
    public static let queryAnchors = 24

    public static func candidates(bandKeys: [Int64], anchorKeys: [Int64] = [], db: Database) throws -> [EssayFingerprintRecord] {
        let anchorKeys = Array(anchorKeys.sorted().prefix(queryAnchors))
        guard !bandKeys.isEmpty || !anchorKeys.isEmpty else { return [] }
        var ids = Set<Int64>()
        if !bandKeys.isEmpty {
            let placeholders = Array(repeating: "?", count: bandKeys.count).joined(separator: ",")
            ids.formUnion(try Int64.fetchAll(db, sql: "SELECT DISTINCT fingerprintId FROM essay_band WHERE bandKey IN (\(placeholders))",
                                             arguments: StatementArguments(bandKeys)))
        }
        if !anchorKeys.isEmpty {
            let placeholders = Array(repeating: "?", count: anchorKeys.count).joined(separator: ",")
            let minimum = max(3, anchorKeys.count / 4)
            ids.formUnion(try Int64.fetchAll(db, sql: """
                SELECT fingerprintId FROM essay_anchor WHERE anchorKey IN (\(placeholders))
                GROUP BY fingerprintId HAVING COUNT(*) >= ?
                """, arguments: StatementArguments(anchorKeys + [Int64(minimum)])))
        }
        guard !ids.isEmpty else { return [] }
        return try EssayFingerprintRecord.fetchAll(db, keys: Array(ids).sorted())
    }
}

/// Evidence of one duplicate finding for a version (`tuibao dupes`).
public struct DuplicateMatchRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "duplicate_match"
    public var id: Int64?
    public var versionId: Int64
    public var code: String
    public var earlierRecordId: Int64?
    public var otherSubmissionId: Int64?
    public var essaySimilarity: Double?
    public var titleSimilarity: Double?
    /// JSON array of {"sha256", "name"}.
    public var sharedFiles: String
    public var sameNominee: Bool

    public init(id: Int64? = nil, versionId: Int64, code: String, earlierRecordId: Int64?, otherSubmissionId: Int64?,
                essaySimilarity: Double?, titleSimilarity: Double?, sharedFiles: String, sameNominee: Bool) {
        self.id = id
        self.versionId = versionId
        self.code = code
        self.earlierRecordId = earlierRecordId
        self.otherSubmissionId = otherSubmissionId
        self.essaySimilarity = essaySimilarity
        self.titleSimilarity = titleSimilarity
        self.sharedFiles = sharedFiles
        self.sameNominee = sameNominee
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
