import Foundation
import Materials
import GRDB
import Intake
import MIME
import MaterialChecks
import Store

/// What `tuibao attach` did.
public struct AttachOutcome: Sendable {
    public var trackingNumber: String
    public var fileName: String
    public var kind: MaterialFacts.Kind
    public var action: Action
    public var problems: [Problem]
    /// The receipt queued because the submission became complete (nil: none was due).
    public var receiptReplyId: Int64?
}

/// Files staff add by hand — most often a video fetched from a cloud-drive link the unit sent.
/// The file joins the submission's latest version, the rules run again on everything it holds,
/// and when that clears the last error, the unit gets its receipt.
extension IntakePipeline {
    public func attach(fileAt source: URL, name: String? = nil, to submissionId: Int64, actor: String,
                       now: Date = Date()) throws -> AttachOutcome {
        let displayName = name ?? source.lastPathComponent
        let (sha256, size) = try store.files.store(copyOf: source)
        let examiner = MaterialExaminer(rules: configuration.rules)
        let facts = examineStored(sha256: sha256, name: displayName, size: size, examiner: examiner)
        try store.database.write { db in try Self.cache(facts, now: now, db: db) }

        // The unit's text and links come from the message behind the latest version (parsed again).
        let latest = try store.database.read { db -> (SubmissionRecord, VersionRecord, MessageRecord) in
            guard let submission = try SubmissionRecord.fetchOne(db, key: submissionId),
                  let version = try VersionRecord.filter(VersionRecord.Columns.submissionId == submissionId)
                      .order(VersionRecord.Columns.number.desc).fetchOne(db),
                  let message = try MessageRecord.fetchOne(db, key: version.messageRowId) else {
                throw StoreError("推报 \(submissionId) 没有可补充的版本 (no version to attach to)")
            }
            return (submission, version, message)
        }
        let body = (try? parser.parse(fileAt: latest.2.rawPath))?.bodyText ?? ""
        // A video fetched from a link settles the links: they stop being pending.
        let links: [PendingLink] = facts.flattened.contains { $0.kind == MaterialFacts.Kind.video } ? [] : examiner.links(in: body)

        return try store.database.write { db in
            var submission = latest.0
            var version = latest.1
            let wasComplete = version.action != Action.correct.rawValue
            _ = try FileRecord(id: nil, versionId: version.id!, sha256: sha256, size: size, filename: displayName,
                               contentType: "application/octet-stream", carriedFromVersionId: nil).inserted(db)
            let files = try FileRecord.filter(FileRecord.Columns.versionId == version.id!).fetchAll(db)
            let allFacts = try files.map {
                try materialFacts(for: PlannedFile(sha256: $0.sha256, size: $0.size, filename: $0.filename,
                                                   contentType: $0.contentType, carriedFromVersionId: $0.carriedFromVersionId), db: db)
            }
            let materials = NominationChecker(rules: configuration.rules)
                .check(files: allFacts, bodyText: body, links: links, now: now, asOneNomination: true)
            let senderProblems = try ProblemRecord.filter(ProblemRecord.Columns.versionId == version.id! && Column("code") == ProblemCode.senderUnknown.rawValue)
                .fetchAll(db).map { Problem(code: .senderUnknown, message: $0.message) }
            let problems = materials.nominations[0].problems + senderProblems
            let action = DecisionRules.action(for: problems)
            try ProblemRecord.filter(ProblemRecord.Columns.versionId == version.id!).deleteAll(db)
            for problem in problems {
                _ = try ProblemRecord(id: nil, versionId: version.id!, code: problem.code.rawValue,
                                      severity: problem.severity.rawValue, message: problem.message).inserted(db)
            }
            version.action = action.rawValue
            try version.update(db)
            if let form = materials.nominations[0].form {
                submission.nominee = form.nominee ?? submission.nominee
                submission.category = form.category?.chineseName ?? submission.category
                submission.title = form.deedTitle ?? submission.title
            }
            if submission.status == .needsCorrection || submission.status == .acknowledged {
                submission.status = action.submissionStatus
            }
            submission.updatedAt = now
            try submission.update(db)
            _ = try EventRecord(at: now, actor: actor, kind: "file.attached", submissionId: submissionId,
                                messageRowId: version.messageRowId,
                                detail: "工作人员补充材料“\(displayName)”（\(SizeText.of(size))），第 \(version.number) 版重新核对：\(action.label)").inserted(db)
            var receipt: Int64?
            if !wasComplete && action == .acknowledge {
                receipt = try queueReceiptAfterAttach(submission: submission, version: version, message: latest.2, files: files,
                                                      problems: problems, actor: actor, db: db, now: now)
            }
            return AttachOutcome(trackingNumber: submission.trackingNumber, fileName: displayName, kind: facts.kind,
                                 action: action, problems: problems, receiptReplyId: receipt)
        }
    }

    private func queueReceiptAfterAttach(submission: SubmissionRecord, version: VersionRecord, message: MessageRecord,
                                         files: [FileRecord], problems: [Problem], actor: String, db: Database,
                                         now: Date) throws -> Int64? {
        guard ReplyAddressing.recipient(for: InboundMessage(fromAddress: submission.senderAddress)) != nil else { return nil }
        let context = ReplyContext(
            trackingNumber: submission.trackingNumber, campaignName: configuration.campaign.name,
            officeName: configuration.officeName, officeContact: configuration.officeContact,
            senderName: submission.senderName, unitName: submission.unitName ?? "（待核实）",
            originalSubject: Self.strippedSubject(message.subject ?? ""), receivedAt: Self.chineseDate(now),
            versionNumber: version.number, files: files.map { ($0.filename ?? "（无文件名）", SizeText.of($0.size)) },
            problems: problems, earlier: [])
        let rendered = try templates.render(.acknowledge, context: context)
        let eventCount = try EventRecord.filter(EventRecord.Columns.submissionId == submission.id!).fetchCount(db)
        var reply = ReplyRecord(id: nil, messageRowId: nil, submissionId: submission.id, kind: Action.acknowledge.rawValue,
                                recipient: submission.senderAddress, subject: rendered.subject, body: rendered.body,
                                headerMessageId: "tuibao-\(submission.trackingNumber.lowercased())-attach-\(eventCount)@\(configuration.replyDomain)",
                                inReplyTo: message.messageId, referencesList: message.messageId ?? "",
                                status: .queued, attempts: 0, lastError: nil, createdAt: now, sentAt: nil)
        try reply.insert(db)
        _ = try EventRecord(at: now, actor: actor, kind: "reply.queued", submissionId: submission.id,
                            detail: "补充材料后材料齐全，发送受理回执 → \(submission.senderAddress)").inserted(db)
        return reply.id
    }
}
