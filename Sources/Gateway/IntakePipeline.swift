import Crypto
import Foundation
import Materials
import GRDB
import Intake
import MIME
import MaterialChecks
import Store

/// The one code path every message takes, from `tuibao ingest` and (later) the poller:
/// spool → record arrival → parse → store files → one transaction that classifies, links,
/// decides and writes the submission, version, files, problems, reply and events.
/// Every step can be repeated after a crash: the spool and file store are content-addressed,
/// the message row is keyed by the raw SHA-256, and the final transaction re-checks its state.
public struct IntakePipeline: Sendable {
    public let store: TuibaoStore
    public let configuration: GatewayConfiguration
    public let templates: ReplyTemplates
    public let parser: MessageParser

    public init(store: TuibaoStore, configuration: GatewayConfiguration) throws {
        self.store = store
        self.configuration = configuration
        self.templates = try ReplyTemplates(directory: configuration.templatesDirectory)
        self.parser = MessageParser()
        try store.database.write { db in
            let campaign = configuration.campaign
            try CampaignRecord(id: campaign.id, name: campaign.name, trackingPrefix: campaign.trackingPrefix,
                               opensOn: campaign.opensOn, closesOn: campaign.closesOn).upsert(db)
            // The registry file is the source; the table mirrors it for queries and exports.
            for unit in configuration.units.units {
                try db.execute(sql: """
                    INSERT INTO unit (name, aliases, domains, addresses) VALUES (?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET aliases = excluded.aliases, domains = excluded.domains,
                                                    addresses = excluded.addresses
                    """, arguments: [unit.name, Self.json(unit.aliases), Self.json(unit.domains), Self.json(unit.addresses)])
            }
        }
    }

    /// Takes in one message file (copied into the spool first).
    public func ingest(fileAt file: URL, source: String = "ingest", now: Date = Date()) throws -> IntakeOutcome {
        let spooled = try store.spool.store(copyOf: file)
        FaultPoint.afterSpool.hit()
        let (row, isNew) = try recordArrival(spooled, source: source, now: now)
        FaultPoint.afterArrival.hit()
        if !isNew && row.status != .received {
            try store.database.write { db in
                _ = try EventRecord(at: now, actor: "system", kind: "message.repeat", messageRowId: row.id,
                                    detail: "同一邮件再次投递（内容相同），未再处理").inserted(db)
            }
            return try outcome(ofProcessed: row, alreadyProcessed: true)
        }
        return try process(row, now: now)
    }

    /// Runs the pipeline again on a stored raw message (`tuibao reprocess`): for failed messages.
    public func reprocess(messageRowId: Int64, now: Date = Date()) throws -> IntakeOutcome {
        let row = try store.database.write { db -> MessageRecord in
            guard var row = try MessageRecord.fetchOne(db, key: messageRowId) else {
                throw StoreError("没有编号为 \(messageRowId) 的邮件 (no such message)")
            }
            guard row.status == .failed || row.status == .received else {
                throw StoreError("邮件 \(messageRowId) 已处理（\(row.status.rawValue)），无需重新处理 (already processed)")
            }
            row.status = .received
            row.reason = nil
            row.processedAt = nil
            try row.update(db)
            _ = try EventRecord(at: now, actor: "staff", kind: "message.reprocess", messageRowId: row.id).inserted(db)
            return row
        }
        return try process(row, now: now)
    }

    private func recordArrival(_ spooled: SpooledMessage, source: String, now: Date) throws -> (MessageRecord, Bool) {
        try store.database.writeWithoutTransaction { db in
            var result: (MessageRecord, Bool)?
            try db.inTransaction(.immediate) {
                if let existing = try MessageRecord.filter(MessageRecord.Columns.sha256 == spooled.sha256).fetchOne(db) {
                    result = (existing, false)
                    return .commit
                }
                var row = MessageRecord(id: nil, sha256: spooled.sha256, rawPath: spooled.path.path, size: spooled.size,
                                        source: source, receivedAt: now, messageId: nil, subject: nil, fromAddress: nil,
                                        status: .received, action: nil, reason: nil, attempts: 0, processedAt: nil)
                try row.insert(db)
                _ = try EventRecord(at: now, actor: "system", kind: "message.received", messageRowId: row.id,
                                    detail: "来源 \(source)，\(spooled.size) 字节").inserted(db)
                result = (row, true)
                return .commit
            }
            return result!
        }
    }

    private func process(_ arrived: MessageRecord, now: Date) throws -> IntakeOutcome {
        guard let rowId = arrived.id else { throw StoreError("message row without id") }
        try store.database.write { db in
            try db.execute(sql: "UPDATE message SET attempts = attempts + 1 WHERE id = ?", arguments: [rowId])
        }
        let work = try store.files.workDirectory()
        defer { try? FileManager.default.removeItem(at: work) }

        let parsed: ParsedMessage
        do {
            parsed = try parser.parse(fileAt: arrived.rawPath, attachmentDirectory: work.path)
            for attachment in parsed.attachments {
                guard let stored = attachment.storedPath else { continue }
                _ = try store.files.adopt(URL(fileURLWithPath: stored), sha256: attachment.sha256)
            }
        } catch {
            return try recordFailure(rowId, reason: "\(error)", now: now)
        }
        FaultPoint.afterFiles.hit()
        FaultPoint.crashIfPoisoned(subject: parsed.headers.subject)
        // Mail that will be ignored (bounces, auto-replies, our own) is never read further.
        let ignored = IgnoreRules(ownAddresses: configuration.ownAddresses).reason(for: InboundMessage(parsed)) != nil
        let examination = ignored ? Examination(links: []) : try examine(parsed, now: now)

        var outcome: IntakeOutcome?
        try store.database.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                outcome = try decide(rowId: rowId, parsed: parsed, examination: examination, db: db, now: now)
                FaultPoint.beforeCommit.hit()
                return .commit
            }
        }
        return outcome!
    }

    /// The decision transaction. Re-reads the message row: if another process got here first,
    /// its result stands and nothing is written twice.
    private func decide(rowId: Int64, parsed: ParsedMessage, examination: Examination, db: Database, now: Date) throws -> IntakeOutcome {
        guard var row = try MessageRecord.fetchOne(db, key: rowId) else { throw StoreError("message \(rowId) vanished") }
        if row.status != .received { return try outcome(ofProcessed: row, db: db, parsed: parsed, alreadyProcessed: true) }

        let inbound = InboundMessage(parsed)
        row.messageId = parsed.headers.messageId
        row.subject = parsed.headers.subject.map(HeaderText.singleLine)
        row.fromAddress = inbound.fromAddress
        row.processedAt = now

        var ignoreReason = IgnoreRules(ownAddresses: configuration.ownAddresses).reason(for: inbound)
        if ignoreReason == nil, let messageId = row.messageId,
           try MessageRecord.filter(MessageRecord.Columns.messageId == messageId && Column("id") != rowId
                                    && [MessageStatus.filed, .ignored].contains(MessageRecord.Columns.status)).fetchCount(db) > 0 {
            ignoreReason = .repeatDelivery
        }
        if let ignoreReason {
            row.status = .ignored
            row.action = Action.ignore.rawValue
            row.reason = ignoreReason.rawValue
            try row.update(db)
            _ = try EventRecord(at: now, actor: "system", kind: "message.ignored", messageRowId: rowId,
                                detail: "不处理：\(ignoreReason.label)").inserted(db)
            return IntakeOutcome(messageRowId: rowId, sha256: row.sha256, status: .ignored, action: .ignore,
                                 reason: ignoreReason.rawValue, parsed: parsed, trackingNumber: nil, submissionId: nil,
                                 versionNumber: nil, problems: [], replyId: nil, alreadyProcessed: false)
        }

        let linker = SubmissionLinker(campaign: configuration.campaign)
        let unit = inbound.fromAddress.flatMap(configuration.units.unit(forAddress:))
        let existing = try linker.existingSubmission(for: inbound, db: db)
        var previousVersion: VersionRecord?
        if let existing {
            previousVersion = try VersionRecord.filter(VersionRecord.Columns.submissionId == existing.id!)
                .order(VersionRecord.Columns.number.desc).fetchOne(db)
        }
        // The files of this version: what came now, plus earlier files not replaced. Their facts
        // were examined before this transaction (cached per content and name).
        let planned = try plannedFiles(parsed.attachments, previous: previousVersion, db: db)
        let facts = try planned.map { try materialFacts(for: $0, db: db) }
        let materials = NominationChecker(rules: configuration.rules)
            .check(files: facts, bodyText: parsed.bodyText, links: examination.links, now: now,
                   asOneNomination: existing != nil)
        let senderProblems = SenderRules(registry: configuration.units).problems(for: inbound, unit: unit)

        let duplicateCheck = DuplicateCheck(configuration: configuration)
        var filed: [FiledNomination] = []
        for (index, nomination) in materials.nominations.enumerated() {
            var submission: SubmissionRecord
            let versionNumber: Int
            if index == 0, let existing {
                submission = existing
                versionNumber = (previousVersion?.number ?? 0) + 1
            } else {
                let sequence = try linker.nextSequence(db: db)
                submission = SubmissionRecord(
                    id: nil, campaignId: configuration.campaign.id, sequence: sequence,
                    trackingNumber: TrackingNumber(prefix: configuration.campaign.trackingPrefix, sequence: sequence).description,
                    unitName: unit?.name, senderAddress: inbound.fromAddress ?? "", senderName: inbound.fromName,
                    title: row.subject, status: .acknowledged, createdAt: now, updatedAt: now)
                try submission.insert(db)
                versionNumber = 1
            }
            let essays = duplicateCheck.fingerprints(of: nomination)
            let duplicates = try duplicateCheck.findings(for: nomination, essays: essays, submissionId: submission.id!, db: db)
            let problems = nomination.problems + senderProblems + duplicates.map(\.problem)
            let action = DecisionRules.action(for: problems)
            var version = VersionRecord(id: nil, submissionId: submission.id!, number: versionNumber, messageRowId: rowId,
                                        action: action.rawValue, createdAt: now)
            version.nominationIndex = index
            try version.insert(db)
            // With one nomination every file is its own; with several, each takes the files it was
            // given, and what none was given stays with the first so nothing is lost.
            let mine = materials.nominations.count == 1 ? planned : planned.filter { file in
                let owners = materials.nominations.indices.filter { materials.nominations[$0].owns(sha256: file.sha256, facts: facts) }
                return owners.contains(index) || (owners.isEmpty && index == 0)
            }
            let files = try mine.map { try $0.record(versionId: version.id!).inserted(db) }
            for problem in problems {
                _ = try ProblemRecord(id: nil, versionId: version.id!, code: problem.code.rawValue,
                                      severity: problem.severity.rawValue, message: problem.message).inserted(db)
            }
            for duplicate in duplicates {
                var match = duplicate.match
                match.versionId = version.id!
                try match.insert(db)
            }
            try duplicateCheck.index(essays, submissionId: submission.id!, db: db)
            if let form = nomination.form {
                let keys = MatchingKeys(units: configuration.units)
                submission.nominee = form.nominee ?? submission.nominee
                submission.category = form.category?.chineseName ?? submission.category
                submission.title = form.deedTitle ?? submission.title
                submission.nomineeKey = keys.name(form.nominee) ?? submission.nomineeKey
                submission.unitKey = form.unit.map(keys.unit) ?? submission.unitKey
            }
            submission.status = action.submissionStatus
            submission.updatedAt = now
            try submission.update(db)
            _ = try EventRecord(at: now, actor: "system", kind: versionNumber == 1 ? "submission.created" : "version.added",
                                submissionId: submission.id, messageRowId: rowId,
                                detail: "\(submission.trackingNumber) 第 \(versionNumber) 版，\(action.label)").inserted(db)
            filed.append(FiledNomination(submission: submission, versionNumber: versionNumber, action: action,
                                         problems: problems, files: files, nomination: nomination,
                                         earlier: duplicates.filter { $0.problem.severity == .error }.map(\.earlier)))
        }
        if !materials.unassigned.isEmpty {
            _ = try EventRecord(at: now, actor: "system", kind: "materials.unassigned", submissionId: filed.first?.submission.id,
                                messageRowId: rowId,
                                detail: "无法归入某一推报、请工作人员分配的材料：\(materials.unassigned.joined(separator: "；"))").inserted(db)
        }

        let action = DecisionRules.action(combining: filed.map(\.action))
        row.status = .filed
        row.action = action.rawValue
        try row.update(db)
        let replyId = try queueReply(action: action, inbound: inbound, parsed: parsed, row: row, filed: filed, db: db, now: now)
        let first = filed[0]
        return IntakeOutcome(messageRowId: rowId, sha256: row.sha256, status: .filed, action: action, reason: nil,
                             parsed: parsed, trackingNumber: first.submission.trackingNumber, submissionId: first.submission.id,
                             versionNumber: first.versionNumber, problems: first.problems, replyId: replyId, alreadyProcessed: false,
                             nominations: filed.map(\.summary), unassigned: materials.unassigned)
    }

    /// The files a new version will hold: the new attachments, plus earlier files not replaced
    /// (neither the same content nor the same name came again).
    private func plannedFiles(_ attachments: [Attachment], previous: VersionRecord?, db: Database) throws -> [PlannedFile] {
        var files = attachments.map {
            PlannedFile(sha256: $0.sha256, size: $0.size, filename: $0.filename, contentType: $0.contentType, carriedFromVersionId: nil)
        }
        guard let previous else { return files }
        let newNames = Set(attachments.compactMap { $0.filename?.lowercased() })
        let newHashes = Set(attachments.map(\.sha256))
        for earlier in try FileRecord.filter(FileRecord.Columns.versionId == previous.id!).fetchAll(db)
        where !newHashes.contains(earlier.sha256) && !(earlier.filename.map { newNames.contains($0.lowercased()) } ?? false) {
            files.append(PlannedFile(sha256: earlier.sha256, size: earlier.size, filename: earlier.filename,
                                     contentType: earlier.contentType,
                                     carriedFromVersionId: earlier.carriedFromVersionId ?? previous.id))
        }
        return files
    }

    private func queueReply(action: Action, inbound: InboundMessage, parsed: ParsedMessage, row: MessageRecord,
                            filed: [FiledNomination], db: Database, now: Date) throws -> Int64? {
        let first = filed[0].submission
        guard let recipient = ReplyAddressing.recipient(for: inbound) else {
            _ = try EventRecord(at: now, actor: "system", kind: "reply.skipped", submissionId: first.id, messageRowId: row.id,
                                detail: "没有可回复的地址，不发送回复").inserted(db)
            return nil
        }
        var context = ReplyContext(
            trackingNumber: filed.map(\.submission.trackingNumber).joined(separator: "、"), campaignName: configuration.campaign.name,
            officeName: configuration.officeName, officeContact: configuration.officeContact,
            senderName: inbound.fromName, unitName: first.unitName ?? "（待核实）",
            originalSubject: Self.strippedSubject(row.subject ?? ""), receivedAt: Self.chineseDate(now),
            versionNumber: filed[0].versionNumber,
            files: filed[0].newFiles,
            problems: filed.count == 1 ? filed[0].problems : [], earlier: filed.flatMap(\.earlier))
        if filed.count > 1 {
            context.nominations = filed.map {
                ReplyContext.NominationSection(trackingNumber: $0.submission.trackingNumber, nominee: $0.nomination.form?.nominee,
                                               category: $0.nomination.form?.category?.chineseName, files: $0.newFiles,
                                               problems: $0.problems)
            }
        }
        let rendered = try templates.render(action, context: context)
        let references = Array((parsed.headers.references + [parsed.headers.messageId].compactMap { $0 }).suffix(10))
        var reply = ReplyRecord(id: nil, messageRowId: row.id!, submissionId: first.id, kind: action.rawValue,
                                recipient: recipient, subject: rendered.subject, body: rendered.body,
                                headerMessageId: "tuibao-\(row.sha256.prefix(24))@\(configuration.replyDomain)",
                                inReplyTo: parsed.headers.messageId, referencesList: references.joined(separator: " "),
                                status: .queued, attempts: 0, lastError: nil, createdAt: now, sentAt: nil)
        reply.contentKey = Self.contentKey(action: action, trackingNumber: context.trackingNumber,
                                           problems: filed.flatMap(\.problems), files: filed.flatMap(\.newFiles))
        let throttle = configuration.replyThrottle
        let verdict = throttle.verdict(contentKey: reply.contentKey!, earlier: try store.earlierAutomaticReplies(to: recipient, db: db),
                                       now: now)
        if let why = verdict.explanation(window: throttle.window, identicalWindow: throttle.identicalWindow) {
            reply.status = .suppressed
            reply.lastError = why
        }
        try reply.insert(db)
        let detail = reply.status == .suppressed
            ? "\(action.label) → \(recipient) 未发送：\(reply.lastError ?? "")；如确需发送：tuibao resend \(reply.id!)"
            : "\(action.label) → \(recipient)"
        _ = try EventRecord(at: now, actor: "system", kind: reply.status == .suppressed ? "reply.suppressed" : "reply.queued",
                            submissionId: first.id, messageRowId: row.id, detail: detail).inserted(db)
        return reply.id
    }

    private func recordFailure(_ rowId: Int64, reason: String, now: Date) throws -> IntakeOutcome {
        try store.database.write { db in
            guard var row = try MessageRecord.fetchOne(db, key: rowId) else { throw StoreError("message \(rowId) vanished") }
            row.status = .failed
            row.reason = reason
            row.processedAt = now
            try row.update(db)
            _ = try EventRecord(at: now, actor: "system", kind: "message.failed", messageRowId: rowId,
                                detail: "无法解析：\(reason)").inserted(db)
            return IntakeOutcome(messageRowId: rowId, sha256: row.sha256, status: .failed, action: nil, reason: reason,
                                 parsed: nil, trackingNumber: nil, submissionId: nil, versionNumber: nil, problems: [],
                                 replyId: nil, alreadyProcessed: false)
        }
    }

    private func outcome(ofProcessed row: MessageRecord, alreadyProcessed: Bool) throws -> IntakeOutcome {
        try store.database.read { db in try outcome(ofProcessed: row, db: db, parsed: nil, alreadyProcessed: alreadyProcessed) }
    }

    private func outcome(ofProcessed row: MessageRecord, db: Database, parsed: ParsedMessage?, alreadyProcessed: Bool) throws -> IntakeOutcome {
        let version = try VersionRecord.filter(Column("messageRowId") == row.id!).fetchOne(db)
        let submission = try version.flatMap { try SubmissionRecord.fetchOne(db, key: $0.submissionId) }
        let problems = try version.map { version in
            try ProblemRecord.filter(ProblemRecord.Columns.versionId == version.id!).fetchAll(db).compactMap { record in
                ProblemCode(rawValue: record.code).map { Problem(code: $0, message: record.message) }
            }
        } ?? []
        let reply = try ReplyRecord.filter(Column("messageRowId") == row.id!).fetchOne(db)
        return IntakeOutcome(messageRowId: row.id!, sha256: row.sha256, status: row.status,
                             action: row.action.flatMap(Action.init(rawValue:)), reason: row.reason, parsed: parsed,
                             trackingNumber: submission?.trackingNumber, submissionId: submission?.id,
                             versionNumber: version?.number, problems: problems, replyId: reply?.id,
                             alreadyProcessed: alreadyProcessed)
    }

    /// The unit's subject without reply prefixes (Re:, 答复:, 转发: …) and without our own
    /// bracketed number and reply label, so a reply to a reply does not grow a chain of them.
    static func strippedSubject(_ subject: String) -> String {
        let replyPrefix = /^\s*(?i:re|fw|fwd|aw|sv|答复|回复|转发)\s*[:：]\s*/
        let ourLabel = /^\s*【[A-Za-z0-9]+-\d+】\s*(?:(?:受理回执|请补正材料|已报送，不必重复报送)\s*[:：]\s*)?/
        var text = Substring(subject)
        while true {
            if let match = text.prefixMatch(of: replyPrefix) {
                text = text[match.range.upperBound...]
            } else if let match = text.prefixMatch(of: ourLabel) {
                text = text[match.range.upperBound...]
            } else {
                break
            }
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? "（无主题）" : trimmed
    }

    static func json(_ strings: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(strings), as: UTF8.self)) ?? "[]"
    }

    /// "The same reply": same kind, submission, problems and new files — not the same wording of
    /// the date, which changes every time.
    static func contentKey(action: Action, trackingNumber: String, problems: [Problem], files: [(name: String, size: String)]) -> String {
        let parts = [action.rawValue, trackingNumber] + problems.map { "\($0.code.rawValue)|\($0.message)" }.sorted()
            + files.map { "\($0.name)|\($0.size)" }.sorted()
        return SHA256.hash(data: Data(parts.joined(separator: "\n").utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func chineseDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%d年%d月%d日 %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

}

extension Action {
    var submissionStatus: SubmissionStatus {
        switch self {
        case .acknowledge, .ignore: .acknowledged
        case .correct: .needsCorrection
        case .alreadySubmitted: .alreadySubmitted
        }
    }
}
