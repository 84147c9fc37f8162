import Foundation
import GRDB
import Intake

/// A deed staff marked for the website column (`tuibao publish add`).
public struct PublishedRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "published"
    public var submissionId: Int64
    public var publishedBy: String
    public var publishedAt: Date

    public init(submissionId: Int64, publishedBy: String, publishedAt: Date) {
        self.submissionId = submissionId
        self.publishedBy = publishedBy
        self.publishedAt = publishedAt
    }
}

/// A marked deed with its submission, for `publish list` and the site builder.
public struct PublishedDeed: Sendable, Hashable {
    public var mark: PublishedRecord
    public var submission: SubmissionRecord
}

extension SubmissionStatus {
    /// What may appear on the website column: a deed the office took in without an error
    /// (已受理) or accepted (已采纳). Not one still needing correction (its materials are
    /// incomplete), a duplicate, a merged copy or one turned down.
    public var isPublishable: Bool { self == .acknowledged || self == .accepted }
}

extension TuibaoStore {
    /// Marks deeds for the column, all or none: every one must be publishable. Returns the ids
    /// newly marked (one already marked keeps its first mark and is not logged again).
    @discardableResult
    public func publish(submissionIds: [Int64], actor: String, now: Date) throws -> [Int64] {
        try write { store in
            var added: [Int64] = []
            for id in submissionIds {
                guard let submission = try store.reader.submission(id: id) else {
                    throw StoreError("没有编号为 \(id) 的推报 (no such submission)")
                }
                guard submission.status.isPublishable, submission.mergedIntoId == nil else {
                    throw StoreError("\(submission.trackingNumber) 的状态是“\(submission.status.label)”：只有已受理或已采纳的推报可以发布到专栏，"
                                     + "未作任何改动 (only acknowledged or accepted deeds can be published; nothing changed)")
                }
                if try PublishedRecord.fetchOne(store.db, key: id) != nil || added.contains(id) { continue }
                try PublishedRecord(submissionId: id, publishedBy: actor, publishedAt: now).insert(store.db)
                try store.log(EventRecord(at: now, actor: actor, kind: .deedPublished, submissionId: id,
                                          detail: "发布到网站专栏 (published on the website column)"))
                added.append(id)
            }
            return added
        }
    }

    /// Takes deeds off the column, all or none: each must be marked.
    public func unpublish(submissionIds: [Int64], actor: String, now: Date) throws {
        try write { store in
            for id in submissionIds {
                guard let submission = try store.reader.submission(id: id) else {
                    throw StoreError("没有编号为 \(id) 的推报 (no such submission)")
                }
                guard try PublishedRecord.deleteOne(store.db, key: id) else {
                    throw StoreError("\(submission.trackingNumber) 不在专栏中，未作任何改动 (not on the column; nothing changed)")
                }
                try store.log(EventRecord(at: now, actor: actor, kind: .deedUnpublished, submissionId: id,
                                          detail: "从网站专栏撤下 (taken off the website column)"))
            }
        }
    }

    /// Every marked deed, in the order they were marked.
    public func publishedDeeds() throws -> [PublishedDeed] {
        try database.read { db in
            let marks = try PublishedRecord.order(Column("publishedAt"), Column("submissionId")).fetchAll(db)
            return try marks.compactMap { mark in
                try SubmissionRecord.fetchOne(db, key: mark.submissionId).map { PublishedDeed(mark: mark, submission: $0) }
            }
        }
    }

    /// When the column's list last changed (a deed added or taken off): the feed's `updated`.
    public func publishingLastChanged() throws -> Date? {
        try database.read { db in
            try Date.fetchOne(db, sql: "SELECT MAX(at) FROM event WHERE kind IN (?, ?)",
                              arguments: [EventKind.deedPublished.rawValue, EventKind.deedUnpublished.rawValue])
        }
    }
}
