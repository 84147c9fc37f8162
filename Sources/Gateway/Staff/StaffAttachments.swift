import Foundation
import Intake
import MIME
import MaterialChecks
import Materials
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
/// The file joins the submission's latest version, the intake core judges everything it holds
/// again, and when that clears the last error, the unit gets its receipt.
extension IntakePipeline {
    public func attach(fileAt source: URL, name: String? = nil, to submissionId: Int64, actor: String,
                       now: Date = Date()) throws -> AttachOutcome {
        let displayName = name ?? source.lastPathComponent
        let (sha256, size) = try store.files.store(copyOf: source)
        let work = try store.files.workDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let reading = MaterialReading(rules: configuration.rules, scratch: work, mode: .intake(store))
        let facts = reading.examine(fileAt: store.files.path(forSHA256: sha256), name: displayName, sha256: sha256, size: size)
        try store.write { try $0.cacheFacts(sha256: sha256, name: displayName, kind: facts.kind.rawValue, json: facts.json, now: now) }

        // The unit's text and links come from the message behind the latest version (parsed again).
        let latest = try store.read { store -> (SubmissionRecord, VersionRecord, MessageRecord) in
            guard let submission = try store.submission(id: submissionId),
                  let version = try store.latestVersion(ofSubmission: submissionId),
                  let message = try store.message(id: version.messageRowId) else {
                throw StoreError("推报 \(submissionId) 没有可补充的版本 (no version to attach to)")
            }
            return (submission, version, message)
        }
        let body = (try? parser.parse(fileAt: latest.2.rawPath))?.bodyText ?? ""
        // A video fetched from a link settles the links: they stop being pending.
        let links: [PendingLink] = facts.flattened.contains { $0.kind == .video } ? [] : reading.examiner.links(in: body)

        return try store.write { store in
            var (submission, version, message) = latest
            let wasComplete = version.action != .correct
            var added = FileRecord(id: nil, versionId: version.id!, sha256: sha256, size: size, filename: displayName,
                                   contentType: "application/octet-stream", carriedFromVersionId: nil)
            try store.insert(&added)
            let files = try store.reader.files(ofVersion: version.id!)
            let senderProblems = try store.reader.problems(ofVersion: version.id!)
                .filter { $0.code == .senderUnknown }.map { Problem(code: .senderUnknown, message: $0.message) }
            let judged = try IntakeAssessor(configuration: configuration, templates: templates, reading: reading, fileStore: self.store)
                .reassess(files: files.map(PlannedFile.init), bodyText: body, links: links, senderProblems: senderProblems,
                          submission: submission, versionNumber: version.number, store: store.reader, now: now)
            try store.replaceProblems(ofVersion: version.id!, with: judged.problems)
            try store.replaceDuplicateMatches(ofVersion: version.id!, with: judged.duplicates.map(\.match))
            for essay in judged.essays where essay.essay.sha256.count == 64 {
                try store.indexEssay(EssayIndex.record(essay, submissionId: submissionId), bandKeys: essay.fingerprint.bandKeys)
            }
            version.action = judged.action
            try store.update(version)
            if let form = judged.nomination.form {
                submission.nominee = form.nominee ?? submission.nominee
                submission.category = form.category?.chineseName ?? submission.category
                submission.title = form.deedTitle ?? submission.title
            }
            if submission.status == .needsCorrection || submission.status == .acknowledged {
                submission.status = judged.action.submissionStatus
            }
            submission.updatedAt = now
            try store.update(submission)
            try store.log(EventRecord(at: now, actor: actor, kind: .fileAttached, submissionId: submissionId,
                                      messageRowId: version.messageRowId,
                                      detail: "工作人员补充材料“\(displayName)”（\(SizeText.of(size))），第 \(version.number) 版重新核对：\(judged.action.label)"))
            var receipt: Int64?
            if !wasComplete && judged.action == .acknowledge,
               ReplyAddressing.recipient(for: InboundMessage(fromAddress: submission.senderAddress)) != nil {
                let planned = try ReplyBuilder(configuration: configuration, templates: templates).staffReply(
                    .acknowledge, submission: submission, message: message, versionNumber: version.number,
                    files: files.map { ($0.filename ?? "（无文件名）", SizeText.of($0.size)) }, problems: judged.problems,
                    staffErrors: [], tag: "attach-\(try store.reader.eventCount(submissionId: submissionId))", receivedAt: now)
                var reply = ReplyBuilder.record(planned, messageRowId: nil, submissionId: submissionId, now: now)
                try store.insert(&reply)
                try store.log(EventRecord(at: now, actor: actor, kind: .replyQueued, submissionId: submissionId,
                                          detail: "补充材料后材料齐全，发送受理回执 → \(submission.senderAddress)"))
                receipt = reply.id
            }
            return AttachOutcome(trackingNumber: submission.trackingNumber, fileName: displayName, kind: facts.kind,
                                 action: judged.action, problems: judged.problems, receiptReplyId: receipt)
        }
    }
}


