import Foundation
import GRDB

/// An earlier campaign with how much of it is on file (`tuibao campaign list`).
public struct EarlierCampaignSummary: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var records: Int
    public var files: Int
    public var essays: Int
}

/// One piece of duplicate evidence kept for a submission, with the version it was found for.
public struct DuplicateEvidence: Sendable {
    public var versionNumber: Int
    public var match: DuplicateMatchRecord
}

extension TuibaoStore {
    /// Adds an earlier campaign; false when one with this id is already there.
    public func addEarlierCampaign(id: String, name: String, now: Date) throws -> Bool {
        try write { store in
            guard try store.reader.earlierCampaign(id: id) == nil else { return false }
            try store.insert(EarlierCampaignRecord(id: id, name: name, createdAt: now))
            return true
        }
    }

    public func earlierCampaignSummaries() throws -> [EarlierCampaignSummary] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.id, c.name,
                       (SELECT COUNT(*) FROM earlier_record r WHERE r.campaignId = c.id) AS records,
                       (SELECT COUNT(*) FROM earlier_file f JOIN earlier_record r ON r.id = f.recordId WHERE r.campaignId = c.id) AS files,
                       (SELECT COUNT(*) FROM essay_fingerprint e JOIN earlier_record r ON r.id = e.earlierRecordId WHERE r.campaignId = c.id) AS essays
                FROM earlier_campaign c ORDER BY c.createdAt
                """).map { EarlierCampaignSummary(id: $0["id"], name: $0["name"], records: $0["records"], files: $0["files"], essays: $0["essays"]) }
        }
    }
}

extension StoreReader {
    /// The duplicate evidence of every version of a submission, in version order.
    public func duplicateEvidence(ofSubmission submissionId: Int64) throws -> [DuplicateEvidence] {
        try Row.fetchAll(db, sql: """
            SELECT m.*, v.number AS versionNumber FROM duplicate_match m JOIN version v ON v.id = m.versionId
            WHERE v.submissionId = ? ORDER BY v.number, m.id
            """, arguments: [submissionId]).map { DuplicateEvidence(versionNumber: $0["versionNumber"], match: try DuplicateMatchRecord(row: $0)) }
    }
}
