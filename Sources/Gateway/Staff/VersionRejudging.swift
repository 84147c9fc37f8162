import Foundation
import Intake
import MaterialChecks
import Materials
import Store

/// What staff changed in a version (a file attached, one taken out, a submission merged in) is
/// judged again by the intake core, and the result replaces the version's problems, duplicate
/// evidence and action; when that clears the last error, the unit's receipt is queued.
extension IntakePipeline {
    struct Rejudged {
        var judged: NominationVerdict
        var receiptReplyId: Int64?
    }

    func rejudge(_ version: VersionRecord, of submission: SubmissionRecord, message: MessageRecord, body: String,
                 links: [PendingLink], reading: MaterialReading, actor: String, receiptTag: String, store: StoreWriter,
                 now: Date) throws -> Rejudged {
        var version = version
        var submission = submission
        let wasComplete = version.action != .correct
        let files = try store.reader.files(ofVersion: version.id!)
        // What was found about the sender stays as intake found it.
        let senderProblems = try store.reader.problems(ofVersion: version.id!)
            .filter { [.senderUnknown, .supplementAmbiguous].contains($0.code) }.map { Problem(code: $0.code, message: $0.message) }
        let judged = try IntakeAssessor(configuration: configuration, templates: templates, reading: reading, fileStore: self.store)
            .reassess(files: files.map(PlannedFile.init), bodyText: body, links: links, senderProblems: senderProblems,
                      submission: submission, versionNumber: version.number, store: store.reader, now: now)
        try store.replaceProblems(ofVersion: version.id!, with: judged.problems)
        try store.replaceDuplicateMatches(ofVersion: version.id!, with: judged.duplicates.map(\.match))
        for essay in judged.essays where essay.essay.sha256.count == 64 {
            try store.indexEssay(EssayIndex.record(essay, submissionId: submission.id!), bandKeys: essay.fingerprint.bandKeys, anchorKeys: essay.fingerprint.anchorKeys)
        }
        version.action = judged.action
        version.pendingLinks = PendingLink.json(links)
        try store.update(version)
        if let form = judged.nomination.form { submission.take(form, keys: MatchingKeys(units: configuration.units)) }
        if submission.status == .needsCorrection || submission.status == .acknowledged {
            submission.status = judged.action.submissionStatus
        }
        submission.updatedAt = now
        try store.update(submission)
        try SearchIndex.refresh(submissionId: submission.id!, store: store)

        var receipt: Int64?
        if !wasComplete && judged.action == .acknowledge,
           ReplyAddressing.recipient(for: InboundMessage(fromAddress: submission.senderAddress)) != nil {
            let planned = try ReplyBuilder(configuration: configuration, templates: templates).staffReply(
                .acknowledge, submission: submission, message: message, versionNumber: version.number,
                files: files.map { ($0.filename ?? "（无文件名）", SizeText.of($0.size)) }, problems: judged.problems,
                staffErrors: [], tag: "\(receiptTag)-\(try store.reader.eventCount(submissionId: submission.id!))", receivedAt: now)
            var reply = ReplyBuilder.record(planned, messageRowId: nil, submissionId: submission.id, now: now)
            try store.insert(&reply)
            try store.log(EventRecord(at: now, actor: actor, kind: .replyQueued, submissionId: submission.id,
                                      detail: "材料齐全，发送受理回执 → \(submission.senderAddress)"))
            receipt = reply.id
        }
        return Rejudged(judged: judged, receiptReplyId: receipt)
    }

    /// The latest version of a submission with the message behind it.
    func latestVersion(of submissionId: Int64) throws -> (SubmissionRecord, VersionRecord, MessageRecord) {
        try store.read { store in
            guard let submission = try store.submission(id: submissionId),
                  let version = try store.latestVersion(ofSubmission: submissionId),
                  let message = try store.message(id: version.messageRowId) else {
                throw StoreError("推报 \(submissionId) 没有可处理的版本 (no version)")
            }
            return (submission, version, message)
        }
    }

    /// The unit's text of a filed message (parsed again; it may hold a pasted essay).
    func bodyText(of message: MessageRecord) -> String {
        (try? parser.parse(fileAt: message.rawPath))?.bodyText ?? ""
    }
}
