import Foundation
import GRDB
import Intake

/// A read-only view of the store inside one transaction: the typed questions intake and the
/// staff commands ask. Callers above the store never see SQL or a `Database`.
public struct StoreReader {
    let db: Database

    // MARK: Messages

    public func message(id: Int64) throws -> MessageRecord? {
        try MessageRecord.fetchOne(db, key: id)
    }

    /// The message with these raw bytes, if they came before.
    public func message(sha256: String) throws -> MessageRecord? {
        try MessageRecord.filter(MessageRecord.Columns.sha256 == sha256).fetchOne(db)
    }

    /// True when another message with this Message-ID was already filed or ignored (a repeat
    /// delivery under new bytes).
    public func isProcessed(messageId: String, otherThan rowId: Int64?) throws -> Bool {
        try MessageRecord.filter(MessageRecord.Columns.messageId == messageId && Column("id") != rowId
                                 && [MessageStatus.filed, .ignored].contains(MessageRecord.Columns.status)).fetchCount(db) > 0
    }

    // MARK: Submissions and versions

    public func submission(id: Int64) throws -> SubmissionRecord? {
        try SubmissionRecord.fetchOne(db, key: id)
    }

    public func submission(trackingNumber: String) throws -> SubmissionRecord? {
        try SubmissionRecord.filter(SubmissionRecord.Columns.trackingNumber == trackingNumber).fetchOne(db)
    }

    /// The submission one of our replies (by its Message-ID) answered.
    public func submission(answeredByReplyIds ids: [String]) throws -> SubmissionRecord? {
        guard !ids.isEmpty,
              let reply = try ReplyRecord.filter(ids.contains(ReplyRecord.Columns.headerMessageId)
                                                 && ReplyRecord.Columns.submissionId != nil).fetchOne(db),
              let submissionId = reply.submissionId else { return nil }
        return try submission(id: submissionId)
    }

    /// The tracking sequence the next new submission of this campaign takes.
    public func nextSequence(campaignId: String) throws -> Int {
        try (SubmissionRecord.filter(SubmissionRecord.Columns.campaignId == campaignId)
            .select(max(SubmissionRecord.Columns.sequence), as: Int.self).fetchOne(db) ?? 0) + 1
    }

    public func latestVersion(ofSubmission submissionId: Int64) throws -> VersionRecord? {
        try VersionRecord.filter(VersionRecord.Columns.submissionId == submissionId)
            .order(VersionRecord.Columns.number.desc).fetchOne(db)
    }

    /// The first version filed from a message (several nominations: the first one's).
    public func firstVersion(fromMessage rowId: Int64) throws -> VersionRecord? {
        try VersionRecord.filter(Column("messageRowId") == rowId).order(Column("id")).fetchOne(db)
    }

    /// The files a version holds now (staff may have taken some out).
    public func files(ofVersion versionId: Int64) throws -> [FileRecord] {
        try FileRecord.filter(FileRecord.Columns.versionId == versionId && Column("removedAt") == nil).order(Column("id")).fetchAll(db)
    }

    /// Every file a version was filed with, removed ones included (for `show`).
    public func allFiles(ofVersion versionId: Int64) throws -> [FileRecord] {
        try FileRecord.filter(FileRecord.Columns.versionId == versionId).order(Column("id")).fetchAll(db)
    }

    public func file(id: Int64) throws -> FileRecord? {
        try FileRecord.fetchOne(db, key: id)
    }

    /// The submissions of this campaign still open to supplements (received or waiting for a
    /// correction) from one unit of the registry, or — for a sender the registry does not
    /// know — from the same address: id, tracking number, nominee and title only, read by
    /// position (no record decoding), oldest first. A unit has hundreds open by the middle of a
    /// campaign; the full record is read only for the one matched.
    public func openSubmissionNames(campaignId: String, unitName: String?, senderAddress: String) throws -> [OpenSubmissionName] {
        let sameUnit = unitName == nil ? "senderAddress = ? COLLATE NOCASE" : "unitName = ?"
        let rows = try Row.fetchCursor(db, sql: """
            SELECT id, trackingNumber, nominee, nomineeKey, title FROM submission
            WHERE campaignId = ? AND status IN ('acknowledged', 'needsCorrection') AND \(sameUnit) ORDER BY id
            """, arguments: [campaignId, unitName ?? senderAddress])
        var names: [OpenSubmissionName] = []
        while let row = try rows.next() {
            names.append(OpenSubmissionName(id: row[0], trackingNumber: row[1], nominee: row[2], nomineeKey: row[3], title: row[4]))
        }
        return names
    }

    public func problems(ofVersion versionId: Int64) throws -> [ProblemRecord] {
        try ProblemRecord.filter(ProblemRecord.Columns.versionId == versionId).order(Column("id")).fetchAll(db)
    }

    public func eventCount(submissionId: Int64) throws -> Int {
        try EventRecord.filter(EventRecord.Columns.submissionId == submissionId).fetchCount(db)
    }

    // MARK: Material facts (cached per content and name, as JSON the examiner wrote)

    public func cachedFacts(sha256: String, name: String) throws -> String? {
        try MaterialRecord.fetchOne(db, key: ["sha256": sha256, "name": name])?.facts
    }

    /// Every cached reading of this content, whatever name it came under.
    public func cachedFacts(sha256: String) throws -> [String] {
        try MaterialRecord.filter(Column("sha256") == sha256).fetchAll(db).map(\.facts)
    }

    // MARK: Replies

    public func reply(id: Int64) throws -> ReplyRecord? {
        try ReplyRecord.fetchOne(db, key: id)
    }

    public func reply(fromMessage rowId: Int64) throws -> ReplyRecord? {
        try ReplyRecord.filter(Column("messageRowId") == rowId).fetchOne(db)
    }

    /// Automatic replies (not staff decisions, not the scoring sheets `review send` mails) to one
    /// address that were not held back, newest first: what the reply throttle weighs.
    public func earlierAutomaticReplies(to recipient: String) throws -> [ReplyThrottle.EarlierReply] {
        try Row.fetchAll(db, sql: """
            SELECT id, createdAt, contentKey FROM reply
            WHERE lower(recipient) = lower(?) AND status != 'suppressed' AND kind NOT IN ('decision', 'reviewSheet')
            ORDER BY createdAt DESC LIMIT 200
            """, arguments: [recipient]).map {
            ReplyThrottle.EarlierReply(id: $0["id"], createdAt: $0["createdAt"], contentKey: $0["contentKey"])
        }
    }

    // MARK: Duplicate evidence

    /// Earlier campaigns' records holding a file with one of these contents.
    public func earlierRecordsSharingFiles(_ sha256s: [String]) throws -> [(recordId: Int64, sha256: String)] {
        guard !sha256s.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: sha256s.count).joined(separator: ",")
        return try Row.fetchAll(db, sql: "SELECT recordId, sha256 FROM earlier_file WHERE sha256 IN (\(placeholders))",
                                arguments: StatementArguments(sha256s)).map { ($0["recordId"], $0["sha256"]) }
    }

    /// This campaign's deeds (other than `excluded`) holding a file with one of these contents:
    /// submissions that are themselves copies of a deed on file (`alreadySubmitted`) are left
    /// out, so a check names the original and costs the same however many copies came.
    public func submissionsSharingFiles(_ sha256s: [String], excluding excluded: Int64?) throws -> [(submissionId: Int64, sha256: String)] {
        guard !sha256s.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: sha256s.count).joined(separator: ",")
        return try Row.fetchAll(db, sql: """
            SELECT DISTINCT version.submissionId AS submissionId, file.sha256 AS sha256 FROM file
            JOIN version ON version.id = file.versionId JOIN submission ON submission.id = version.submissionId
            WHERE file.sha256 IN (\(placeholders)) AND version.submissionId IS NOT ? AND file.removedAt IS NULL
              AND submission.status != 'alreadySubmitted'
            """, arguments: StatementArguments(sha256s + [excluded])).map { ($0["submissionId"], $0["sha256"]) }
    }

    /// Stored essays similar as a whole (a shared LSH band) or sharing many passages (anchors).
    public func essayCandidates(bandKeys: [Int64], anchorKeys: [Int64]) throws -> [EssayFingerprintRecord] {
        try EssayFingerprintRecord.candidates(bandKeys: bandKeys, anchorKeys: anchorKeys, db: db)
    }

    public func earlierRecords(nomineeKey: String, unitKey: String) throws -> [EarlierRecord] {
        try EarlierRecord.filter(Column("nomineeKey") == nomineeKey && Column("unitKey") == unitKey).fetchAll(db)
    }

    public func submissions(nomineeKey: String, unitKey: String, excluding excluded: Int64?) throws -> [SubmissionRecord] {
        try SubmissionRecord.filter(Column("nomineeKey") == nomineeKey && Column("unitKey") == unitKey
                                    && Column("id") != excluded && SubmissionRecord.Columns.status != SubmissionStatus.alreadySubmitted)
            .fetchAll(db)
    }

    public func earlierRecord(id: Int64) throws -> EarlierRecord? {
        try EarlierRecord.fetchOne(db, key: id)
    }

    public func earlierCampaign(id: String) throws -> EarlierCampaignRecord? {
        try EarlierCampaignRecord.fetchOne(db, key: id)
    }

    public func earlierRecord(campaignId: String, externalId: String) throws -> EarlierRecord? {
        try EarlierRecord.filter(Column("campaignId") == campaignId && Column("externalId") == externalId).fetchOne(db)
    }

    public func setting(_ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key])
    }

    public func allSubmissions() throws -> [SubmissionRecord] {
        try SubmissionRecord.order(Column("id")).fetchAll(db)
    }

    public func allEarlierRecords() throws -> [EarlierRecord] {
        try EarlierRecord.order(Column("id")).fetchAll(db)
    }

    public func earlierRecord(_ recordId: Int64, hasFile sha256: String) throws -> Bool {
        try EarlierFileRecord.filter(Column("recordId") == recordId && Column("sha256") == sha256).fetchCount(db) > 0
    }
}

/// The writes of one transaction. Every write of intake, attach and the staff actions goes
/// through here, inside `TuibaoStore.write`, so a verdict is committed whole or not at all.
public struct StoreWriter {
    let db: Database

    /// Reads inside the same transaction (they see this transaction's writes).
    public var reader: StoreReader { StoreReader(db: db) }

    public func insert(_ record: inout MessageRecord) throws { try record.insert(db) }
    public func update(_ record: MessageRecord) throws { try record.update(db) }
    public func insert(_ record: inout SubmissionRecord) throws { try record.insert(db) }
    public func update(_ record: SubmissionRecord) throws { try record.update(db) }
    public func insert(_ record: inout VersionRecord) throws { try record.insert(db) }
    public func update(_ record: VersionRecord) throws { try record.update(db) }
    public func insert(_ record: inout FileRecord) throws { try record.insert(db) }
    public func update(_ record: FileRecord) throws { try record.update(db) }
    public func insert(_ record: inout DuplicateMatchRecord) throws { try record.insert(db) }
    public func insert(_ record: inout ReplyRecord) throws { try record.insert(db) }

    public func insert(_ problems: [Problem], versionId: Int64) throws {
        for problem in problems {
            _ = try ProblemRecord(id: nil, versionId: versionId, code: problem.code,
                                  severity: problem.severity, message: problem.message).inserted(db)
        }
    }

    /// The version's problems, replaced by a new reading of its files.
    public func replaceProblems(ofVersion versionId: Int64, with problems: [Problem]) throws {
        try ProblemRecord.filter(ProblemRecord.Columns.versionId == versionId).deleteAll(db)
        try insert(problems, versionId: versionId)
    }

    /// The version's duplicate evidence, replaced by a new check.
    public func replaceDuplicateMatches(ofVersion versionId: Int64, with matches: [DuplicateMatchRecord]) throws {
        try DuplicateMatchRecord.filter(Column("versionId") == versionId).deleteAll(db)
        for var match in matches {
            match.versionId = versionId
            try match.insert(db)
        }
    }

    @discardableResult
    public func log(_ event: EventRecord) throws -> EventRecord { try event.inserted(db) }

    public func setSetting(_ key: String, to value: String) throws {
        try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                       arguments: [key, value])
    }

    /// New matching keys of a submission (nil leaves a key as it is).
    public func updateKeys(submissionId: Int64, nomineeKey: String?, unitKey: String?) throws {
        try db.execute(sql: "UPDATE submission SET nomineeKey = coalesce(?, nomineeKey), unitKey = coalesce(?, unitKey) WHERE id = ?",
                       arguments: [nomineeKey, unitKey, submissionId])
    }

    public func updateKeys(earlierRecordId: Int64, nomineeKey: String?, unitKey: String) throws {
        try db.execute(sql: "UPDATE earlier_record SET nomineeKey = ?, unitKey = ? WHERE id = ?",
                       arguments: [nomineeKey, unitKey, earlierRecordId])
    }

    public func incrementAttempts(messageRowId: Int64) throws {
        try db.execute(sql: "UPDATE message SET attempts = attempts + 1 WHERE id = ?", arguments: [messageRowId])
    }

    /// Keeps what the examiner found in a file (JSON), per content and name.
    public func cacheFacts(sha256: String, name: String, kind: String, json: String, now: Date) throws {
        try MaterialRecord(sha256: sha256, name: name, kind: kind, facts: json, examinedAt: now).save(db)
    }

    /// Adds a submission's essay to the index (once per submission and content).
    public func indexEssay(_ record: EssayFingerprintRecord, bandKeys: [Int64], anchorKeys: [Int64]) throws {
        guard try EssayFingerprintRecord.filter(Column("submissionId") == record.submissionId && Column("sha256") == record.sha256)
            .fetchCount(db) == 0 else { return }
        try insertFingerprint(record, bandKeys: bandKeys, anchorKeys: anchorKeys)
    }

    /// Adds a fingerprint, its LSH bands and its passage anchors to the index.
    public func insertFingerprint(_ record: EssayFingerprintRecord, bandKeys: [Int64], anchorKeys: [Int64]) throws {
        var record = record
        try record.insert(db, bandKeys: bandKeys, anchorKeys: anchorKeys)
    }

    public func insert(_ record: EarlierCampaignRecord) throws { try record.insert(db) }
    public func insert(_ record: inout EarlierRecord) throws { try record.insert(db) }
    public func insert(_ record: EarlierFileRecord) throws { try record.insert(db) }

    public func save(_ campaign: CampaignRecord) throws { try campaign.upsert(db) }

    /// Mirrors one unit of the registry file (the source) into the table queries and exports read.
    public func mirror(unitNamed name: String, aliases: [String], domains: [String], addresses: [String]) throws {
        try mirror(units: [RegisteredUnit(name: name, aliases: aliases, domains: domains, addresses: addresses)])
    }

    /// Mirrors the registry file (the source) into the table queries and exports read. Only rows
    /// that differ are written: every command starts by mirroring, and the registry has over a
    /// hundred units that rarely change.
    public func mirror(units: [RegisteredUnit]) throws {
        var stored: [String: [String?]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, aliases, domains, addresses FROM unit") {
            let name: String = row["name"]
            stored[name] = [row["aliases"], row["domains"], row["addresses"]]
        }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO unit (name, aliases, domains, addresses) VALUES (?, ?, ?, ?)
            ON CONFLICT(name) DO UPDATE SET aliases = excluded.aliases, domains = excluded.domains,
                                            addresses = excluded.addresses
            """)
        for unit in units {
            let columns = [unit.aliases, unit.domains, unit.addresses].map(Self.jsonArray)
            if stored[unit.name] == columns.map(Optional.some) { continue }
            try upsert.execute(arguments: [unit.name, columns[0], columns[1], columns[2]])
        }
    }

    /// A JSON array of strings, as the records' Codable columns read it (`["a","b"]`).
    static func jsonArray(_ strings: [String]) -> String {
        var json = "["
        for (position, string) in strings.enumerated() {
            if position > 0 { json += "," }
            json += "\""
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": json += "\\\""
                case "\\": json += "\\\\"
                case "\n": json += "\\n"
                case "\r": json += "\\r"
                case "\t": json += "\\t"
                case _ where scalar.value < 0x20: json += String(format: "\\u%04x", scalar.value)
                default: json.unicodeScalars.append(scalar)
                }
            }
            json += "\""
        }
        return json + "]"
    }
}

extension TuibaoStore {
    /// One read transaction (a consistent snapshot).
    public func read<T>(_ body: (StoreReader) throws -> T) throws -> T {
        try database.read { db in try body(StoreReader(db: db)) }
    }

    /// One write transaction, `BEGIN IMMEDIATE`: it holds the write lock from its first statement,
    /// so what it read cannot change before it commits (two processes never file a mail twice).
    @discardableResult
    public func write<T>(_ body: (StoreWriter) throws -> T) throws -> T {
        try database.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(StoreWriter(db: db))
                return .commit
            }
            return result!
        }
    }
}

/// An open submission as the supplement check sees it (`openSubmissionNames`).
public struct OpenSubmissionName: Sendable, Hashable {
    public var id: Int64
    public var trackingNumber: String
    public var nominee: String?
    public var nomineeKey: String?
    public var title: String?

    public init(id: Int64, trackingNumber: String, nominee: String?, nomineeKey: String?, title: String?) {
        self.id = id
        self.trackingNumber = trackingNumber
        self.nominee = nominee
        self.nomineeKey = nomineeKey
        self.title = title
    }
}
