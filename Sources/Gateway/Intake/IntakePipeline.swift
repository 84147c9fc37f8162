import Foundation
import Intake
import MIME
import MaterialChecks
import Store

/// The one code path every message takes, from `tuibao ingest`, the poller and `reprocess`:
/// spool → record arrival → parse → keep files → examine → one transaction that assesses the
/// message (`IntakeAssessor`, the core `check` runs too) and commits the verdict.
/// Every step can be repeated after a crash: the spool and file store are content-addressed,
/// the message row is keyed by the raw SHA-256, and the final transaction re-checks its state.
public struct IntakePipeline: Sendable {
    public let store: TuibaoStore
    public let configuration: GatewayConfiguration
    public let templates: ReplyTemplates
    public let parser: MessageParser
    /// Parse and read materials in a child process with limits (`tuibao examine`); nil reads
    /// in this process. The commands set it from `[examiner]`; library tests leave it nil.
    public var isolation: IsolatedExaminer?
    /// Told after a transaction that queued a reply committed (`serve` wakes the dispatcher with it).
    public var replyQueued: (@Sendable () -> Void)?

    /// - Parameter templates: nil reads them from the configuration's templates directory.
    public init(store: TuibaoStore, configuration: GatewayConfiguration, templates: ReplyTemplates? = nil) throws {
        self.store = store
        self.configuration = configuration
        self.templates = try templates ?? ReplyTemplates(directory: configuration.templatesDirectory)
        self.parser = MessageParser()
        try store.write { store in
            let campaign = configuration.campaign
            try store.save(CampaignRecord(id: campaign.id, name: campaign.name, trackingPrefix: campaign.trackingPrefix,
                                          opensOn: campaign.opensOn, closesOn: campaign.closesOn))
            // The registry file is the source; the table mirrors it for queries and exports.
            try store.mirror(units: configuration.units.units)
            try KeyRefresh(units: configuration.units).refreshIfNeeded(store)
            try SearchIndex.rebuildIfNeeded(store)
        }
    }

    /// Takes in one message file (copied into the spool first).
    public func ingest(fileAt file: URL, source: String = "ingest", now: Date = Date()) throws -> IntakeOutcome {
        let spooled = try store.spool.store(copyOf: file)
        FaultPoint.afterSpool.hit()
        let (row, isNew) = try recordArrival(spooled, source: source, now: now)
        FaultPoint.afterArrival.hit()
        if !isNew && row.status != .received {
            try store.write { store in
                try store.log(EventRecord(at: now, actor: "system", kind: .messageRepeat, messageRowId: row.id,
                                          detail: "同一邮件再次投递（内容相同），未再处理"))
            }
            return try outcome(ofProcessed: row, alreadyProcessed: true)
        }
        return try processAndTell(row, now: now)
    }

    /// Runs the pipeline again on a stored raw message (`tuibao reprocess`): for failed messages.
    public func reprocess(messageRowId: Int64, now: Date = Date()) throws -> IntakeOutcome {
        let row = try store.write { store -> MessageRecord in
            guard var row = try store.reader.message(id: messageRowId) else {
                throw StoreError("没有编号为 \(messageRowId) 的邮件 (no such message)")
            }
            guard row.status == .failed || row.status == .received else {
                throw StoreError("邮件 \(messageRowId) 已处理（\(row.status.rawValue)），无需重新处理 (already processed)")
            }
            row.status = .received
            row.reason = nil
            row.processedAt = nil
            try store.update(row)
            try store.log(EventRecord(at: now, actor: "staff", kind: .messageReprocess, messageRowId: row.id))
            return row
        }
        return try processAndTell(row, now: now)
    }

    private func processAndTell(_ row: MessageRecord, now: Date) throws -> IntakeOutcome {
        let outcome = try process(row, now: now)
        if outcome.replyId != nil { replyQueued?() }
        return outcome
    }

    /// What intake would do with a message file, from the same core, writing nothing: files
    /// are read from a scratch folder inside the data directory, and nothing is kept.
    public func preview(fileAt file: URL, now: Date = Date()) throws -> (ParsedMessage, Verdict) {
        let work = try store.files.workDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let parsed = try parse(file.path, into: work)
        let reading = materialReading(work, mode: .preview, now: now)
        let examination = try isIgnored(parsed) ? MessageExamination(facts: [:], links: []) : reading.examine(parsed, now: now)
        let rawSHA256 = try Hex.sha256(fileAt: file)
        let verdict = try store.read { store in
            try assessor(reading: reading).assess(parsed, examination: examination, messageRowId: nil, rawSHA256: rawSHA256,
                                                  store: store, now: now)
        }
        return (parsed, verdict)
    }

    private func recordArrival(_ spooled: SpooledMessage, source: String, now: Date) throws -> (MessageRecord, Bool) {
        try store.write { store in
            if let existing = try store.reader.message(sha256: spooled.sha256) { return (existing, false) }
            var row = MessageRecord(id: nil, sha256: spooled.sha256, rawPath: spooled.path.path, size: spooled.size,
                                    source: source, receivedAt: now, messageId: nil, subject: nil, fromAddress: nil,
                                    status: .received, action: nil, reason: nil, attempts: 0, processedAt: nil)
            try store.insert(&row)
            try store.log(EventRecord(at: now, actor: "system", kind: .messageReceived, messageRowId: row.id,
                                      detail: "来源 \(source)，\(spooled.size) 字节"))
            return (row, true)
        }
    }

    private func process(_ arrived: MessageRecord, now: Date) throws -> IntakeOutcome {
        guard let rowId = arrived.id else { throw StoreError("message row without id") }
        let work = try store.files.workDirectory()
        defer { try? FileManager.default.removeItem(at: work) }

        let parsed: ParsedMessage
        do {
            parsed = try parse(arrived.rawPath, into: work)
            for attachment in parsed.attachments {
                guard let stored = attachment.storedPath else { continue }
                _ = try store.files.adopt(URL(fileURLWithPath: stored), sha256: attachment.sha256)
            }
        } catch let died as ExaminerDied {
            // The parse died (not refused): counted against this message; the caller decides
            // when it has had enough (the poller moves it to Failed after max_attempts).
            try store.write { try $0.incrementAttempts(messageRowId: rowId) }
            throw died
        } catch {
            return try recordFailure(rowId, reason: "\(error)", now: now)
        }
        FaultPoint.afterFiles.hit()
        // A reviewer's scoring sheet coming back is filed with the review, not as a nomination.
        if !isIgnored(parsed), let review = try ReviewReturns.forIntake(store: store, configuration: configuration),
           let recognised = try review.recognise(parsed) {
            return try fileReviewReturn(recognised, review: review, parsed: parsed, rowId: rowId, now: now)
        }
        // Mail that will be ignored (bounces, auto-replies, our own) is never read further.
        let reading = materialReading(work, mode: .intake(store), now: now)
        let examination = isIgnored(parsed) ? MessageExamination(facts: [:], links: []) : try reading.examine(parsed, now: now)
        try logUnchecked(examination, messageRowId: rowId, now: now)

        var result = try store.write { store -> IntakeOutcome in
            // Re-read: if another process got here first, its result stands and nothing is written twice.
            guard let row = try store.reader.message(id: rowId) else { throw StoreError("message \(rowId) vanished") }
            if row.status != .received { return try outcome(ofProcessed: row, store: store.reader, alreadyProcessed: true) }
            let verdict = try assessor(reading: reading).assess(parsed, examination: examination, messageRowId: rowId,
                                                                rawSHA256: row.sha256, store: store.reader, now: now)
            let outcome = try VerdictCommit(configuration: configuration).commit(verdict, message: row, store: store, now: now)
            FaultPoint.beforeCommit.hit()
            return outcome
        }
        result.parsed = parsed
        return result
    }

    private func fileReviewReturn(_ recognised: ReviewReturns.Recognised, review: ReviewReturns, parsed: ParsedMessage,
                                  rowId: Int64, now: Date) throws -> IntakeOutcome {
        let judgement = try review.judge(recognised, sender: (parsed.headers.from.first?.address ?? "").lowercased())
        let templates = try ReviewTemplates(directory: configuration.templatesDirectory)
        var result = try store.write { store -> IntakeOutcome in
            guard let row = try store.reader.message(id: rowId) else { throw StoreError("message \(rowId) vanished") }
            if row.status != .received { return try outcome(ofProcessed: row, store: store.reader, alreadyProcessed: true) }
            return try review.commit(judgement, recognised: recognised, parsed: parsed, message: row, store: store,
                                     templates: templates, now: now)
        }
        result.parsed = parsed
        return result
    }

    /// Parses in the child when isolated; in this process otherwise (the poison fault point
    /// then fires here, as a crash of the parser in this process would).
    private func parse(_ path: String, into work: URL) throws -> ParsedMessage {
        if let isolation {
            do {
                return try isolation.parse(rawPath: path, into: work)
            } catch let died as ExaminerDied {
                throw ExaminerDied(description: "解析邮件的进程失败：\(died.description)")
            }
        }
        let parsed = try parser.parse(fileAt: path, attachmentDirectory: work.path)
        FaultPoint.crashIfPoisoned(subject: parsed.headers.subject)
        return parsed
    }

    func materialReading(_ work: URL, mode: MaterialReading.Mode, now: Date) -> MaterialReading {
        var reading = MaterialReading(rules: configuration.rules, scratch: work, mode: mode)
        reading.isolation = isolation
        reading.deadline = isolation.map { Date().addingTimeInterval($0.limits.messageSeconds) }
        return reading
    }

    /// The event log names every file that could not be checked, and why.
    private func logUnchecked(_ examination: MessageExamination, messageRowId: Int64, now: Date) throws {
        let unchecked = examination.facts.values.filter { $0.kind == .unchecked }.sorted { $0.name < $1.name }
        guard !unchecked.isEmpty else { return }
        try store.write { store in
            for file in unchecked {
                try store.log(EventRecord(at: now, actor: "system", kind: .fileUnchecked, messageRowId: messageRowId,
                                          detail: "附件“\(file.name)”（\(file.sha256.prefix(12))）未能检查：\(file.uncheckedReason ?? "")"))
            }
        }
    }

    private func assessor(reading: MaterialReading) -> IntakeAssessor {
        IntakeAssessor(configuration: configuration, templates: templates, reading: reading, fileStore: store)
    }

    private func isIgnored(_ parsed: ParsedMessage) -> Bool {
        IgnoreRules(ownAddresses: configuration.ownAddresses).reason(for: InboundMessage(parsed)) != nil
    }

    private func recordFailure(_ rowId: Int64, reason: String, now: Date) throws -> IntakeOutcome {
        try store.write { store in
            guard var row = try store.reader.message(id: rowId) else { throw StoreError("message \(rowId) vanished") }
            row.status = .failed
            row.reason = reason
            row.processedAt = now
            try store.update(row)
            try store.log(EventRecord(at: now, actor: "system", kind: .messageFailed, messageRowId: rowId,
                                      detail: "无法解析：\(reason)"))
            return IntakeOutcome(messageRowId: rowId, sha256: row.sha256, status: .failed, action: nil, reason: reason,
                                 parsed: nil, trackingNumber: nil, submissionId: nil, versionNumber: nil, problems: [],
                                 replyId: nil, alreadyProcessed: false)
        }
    }

    private func outcome(ofProcessed row: MessageRecord, alreadyProcessed: Bool) throws -> IntakeOutcome {
        try store.read { store in try outcome(ofProcessed: row, store: store, alreadyProcessed: alreadyProcessed) }
    }

    private func outcome(ofProcessed row: MessageRecord, store: StoreReader, alreadyProcessed: Bool) throws -> IntakeOutcome {
        let version = try store.firstVersion(fromMessage: row.id!)
        let submission = try version.flatMap { try store.submission(id: $0.submissionId) }
        let problems = try version.map { version in
            try store.problems(ofVersion: version.id!).map { Problem(code: $0.code, message: $0.message) }
        } ?? []
        return IntakeOutcome(messageRowId: row.id!, sha256: row.sha256, status: row.status,
                             action: row.action, reason: row.reason, parsed: nil,
                             trackingNumber: submission?.trackingNumber, submissionId: submission?.id,
                             versionNumber: version?.number, problems: problems, replyId: try store.reply(fromMessage: row.id!)?.id,
                             alreadyProcessed: alreadyProcessed)
    }
}
