import Foundation
import GRDB
import Intake

// Review by e-mail (migration v14-review-mail): the files a reply carries, the scoring sheets
// mailed to reviewers and the ones that came back.

/// A file sent with a reply, its bytes in the file store.
public struct ReplyAttachmentRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "reply_attachment"
    public var replyId: Int64
    public var position: Int
    /// The name the recipient sees (ours, never taken from a mail).
    public var filename: String
    public var mediaType: String
    public var sha256: String
    public var size: Int64

    public init(replyId: Int64 = 0, position: Int = 0, filename: String, mediaType: String, sha256: String, size: Int64) {
        self.replyId = replyId
        self.position = position
        self.filename = filename
        self.mediaType = mediaType
        self.sha256 = sha256
        self.size = size
    }
}

/// A scoring sheet mailed to a reviewer: which deeds it listed and the workbook, by hash.
public struct ReviewSheetRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "review_sheet"
    public var id: Int64?
    public var roundId: Int64
    public var reviewer: String
    public var replyId: Int64
    /// Tracking numbers, space-separated, in the sheet's order.
    public var deeds: String
    public var sha256: String
    public var createdAt: Date
    public var createdBy: String

    public init(roundId: Int64, reviewer: String, replyId: Int64 = 0, deeds: [String], sha256: String, createdAt: Date, createdBy: String) {
        self.roundId = roundId
        self.reviewer = reviewer
        self.replyId = replyId
        self.deeds = deeds.joined(separator: " ")
        self.sha256 = sha256
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    public var trackingNumbers: [String] { deeds.split(separator: " ").map(String.init) }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public enum ReviewReturnOutcome: String, Codable, Sendable, DatabaseValueConvertible {
    case filed, refused
}

/// A scoring sheet that came back by mail, filed or refused, as it came.
public struct ReviewReturnRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "review_return"
    public var id: Int64?
    /// The round and reviewer its token names (nil when the token did not verify).
    public var roundId: Int64?
    public var reviewer: String?
    public var messageRowId: Int64
    public var sender: String
    /// The returned workbook in the file store (nil: the mail carried none).
    public var sha256: String?
    public var outcome: ReviewReturnOutcome
    /// What was recorded, or why it was refused, in Chinese.
    public var detail: String
    public var receivedAt: Date

    public init(roundId: Int64?, reviewer: String?, messageRowId: Int64, sender: String, sha256: String?,
                outcome: ReviewReturnOutcome, detail: String, receivedAt: Date) {
        self.roundId = roundId
        self.reviewer = reviewer
        self.messageRowId = messageRowId
        self.sender = sender
        self.sha256 = sha256
        self.outcome = outcome
        self.detail = detail
        self.receivedAt = receivedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension TuibaoStore {
    /// Queues scoring sheets, each with its reply, attachments and event, all or none.
    public func queueReviewSheets(_ sheets: [(reply: ReplyRecord, attachments: [ReplyAttachmentRecord], sheet: ReviewSheetRecord)],
                                  actor: String, now: Date) throws -> [ReviewSheetRecord] {
        try write { store in
            try sheets.map { planned in
                var reply = planned.reply
                try store.insert(&reply)
                try store.attach(planned.attachments, to: reply.id!)
                var sheet = planned.sheet
                sheet.replyId = reply.id!
                try sheet.insert(store.db)
                try store.log(EventRecord(at: now, actor: actor, kind: .reviewSheetSent,
                                          detail: "评分表发给 \(reply.recipient)：\(sheet.trackingNumbers.joined(separator: "、"))"))
                return sheet
            }
        }
    }

    /// Whether any scoring sheet was ever mailed: until then no mail can be a returned one.
    public func hasSentReviewSheets() throws -> Bool {
        try database.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM review_sheet)") ?? false }
    }

    public func reviewSheets(roundId: Int64) throws -> [ReviewSheetRecord] {
        try database.read { db in try ReviewSheetRecord.filter(Column("roundId") == roundId).order(Column("id")).fetchAll(db) }
    }

    public func reviewReturns(roundId: Int64) throws -> [ReviewReturnRecord] {
        try database.read { db in try ReviewReturnRecord.filter(Column("roundId") == roundId).order(Column("id")).fetchAll(db) }
    }

    /// The files a reply carries, in order.
    public func attachments(ofReply replyId: Int64) throws -> [ReplyAttachmentRecord] {
        try database.read { db in
            try ReplyAttachmentRecord.filter(Column("replyId") == replyId).order(Column("position")).fetchAll(db)
        }
    }

    /// Whether one of these Message-IDs is review mail we sent of these kinds (a reply to it is
    /// a reviewer's, not a unit's).
    public func isReviewMail(messageIds: [String], kinds: [ReplyKind]) throws -> Bool {
        guard !messageIds.isEmpty else { return false }
        return try database.read { db in
            try ReplyRecord.filter(kinds.contains(ReplyRecord.Columns.kind))
                .filter(messageIds.contains(ReplyRecord.Columns.headerMessageId)).fetchCount(db) > 0
        }
    }
}

/// A deed chosen as one of the year's best in a closed round.
public struct ReviewChoiceRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Hashable {
    public static let databaseTableName = "review_choice"
    public var roundId: Int64
    public var submissionId: Int64
    /// Its place in the ranking when chosen (nil: chosen outside the ranked list).
    public var rank: Int?
    public var chosenAt: Date
    public var chosenBy: String

    public init(roundId: Int64, submissionId: Int64, rank: Int?, chosenAt: Date, chosenBy: String) {
        self.roundId = roundId
        self.submissionId = submissionId
        self.rank = rank
        self.chosenAt = chosenAt
        self.chosenBy = chosenBy
    }
}

extension TuibaoStore {
    /// Records the chosen deeds of a closed round and marks them for the website column, in one
    /// transaction; each logged. Returns those newly chosen.
    public func choose(_ choices: [ReviewChoiceRecord], roundName: String, actor: String, now: Date) throws -> [ReviewChoiceRecord] {
        let added = try write { store -> [ReviewChoiceRecord] in
            var added: [ReviewChoiceRecord] = []
            for choice in choices where try ReviewChoiceRecord.fetchOne(store.db, key: ["roundId": choice.roundId, "submissionId": choice.submissionId]) == nil {
                try choice.insert(store.db)
                try store.log(EventRecord(at: now, actor: actor, kind: .reviewChosen, submissionId: choice.submissionId,
                                          detail: "评为年度最佳事迹（\(roundName)\(choice.rank.map { "，排名第 \($0)" } ?? "")）"))
                added.append(choice)
            }
            return added
        }
        try publish(submissionIds: choices.map(\.submissionId), actor: actor, now: now)
        return added
    }

    /// Submission id → the rounds that chose it, by name (the column marks those deeds).
    public func reviewChoices() throws -> [Int64: [String]] {
        try database.read { db in
            var result: [Int64: [String]] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.submissionId, r.name FROM review_choice c JOIN review_round r ON r.id = c.roundId ORDER BY r.id
                """)
            for row in rows { result[row[0], default: []].append(row[1]) }
            return result
        }
    }

    public func reviewChoices(roundId: Int64) throws -> [ReviewChoiceRecord] {
        try database.read { db in
            try ReviewChoiceRecord.filter(Column("roundId") == roundId).order(Column("rank"), Column("submissionId")).fetchAll(db)
        }
    }
}

extension StoreWriter {
    public func attach(_ attachments: [ReplyAttachmentRecord], to replyId: Int64) throws {
        for (position, attachment) in attachments.enumerated() {
            var attachment = attachment
            attachment.replyId = replyId
            attachment.position = position
            try attachment.insert(db)
        }
    }

    public func insert(_ record: inout ReviewReturnRecord) throws { try record.insert(db) }
}
