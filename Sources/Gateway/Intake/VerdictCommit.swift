import Foundation
import Intake
import Materials
import Store

/// Writes a verdict: the message row, the submissions and versions with their files, problems
/// and duplicate evidence, the essay index, the reply and the events — all inside the caller's
/// transaction, the one the verdict was reached in. Decides nothing.
struct VerdictCommit {
    let configuration: GatewayConfiguration

    func commit(_ verdict: Verdict, message: MessageRecord, store: StoreWriter, now: Date) throws -> IntakeOutcome {
        var row = message
        let rowId = row.id!
        row.messageId = verdict.messageId
        row.subject = verdict.subject
        row.fromAddress = verdict.fromAddress
        row.processedAt = now
        row.action = verdict.action

        if let reason = verdict.ignoreReason {
            row.status = .ignored
            row.reason = reason.rawValue
            try store.update(row)
            try store.log(EventRecord(at: now, actor: "system", kind: .messageIgnored, messageRowId: rowId,
                                      detail: "不处理：\(reason.label)"))
            return IntakeOutcome(messageRowId: rowId, sha256: row.sha256, status: .ignored, action: .ignore,
                                 reason: reason.rawValue, parsed: nil, trackingNumber: nil, submissionId: nil,
                                 versionNumber: nil, problems: [], replyId: nil, alreadyProcessed: false)
        }

        if let original = verdict.resendOf {
            return try commitResend(verdict, of: original, row: row, store: store, now: now)
        }
        let keys = MatchingKeys(units: configuration.units)
        var filed: [IntakeOutcome.FiledSubmission] = []
        for (index, nomination) in verdict.nominations.enumerated() {
            var submission: SubmissionRecord
            if nomination.newSequence == nil, let continued = verdict.continues, index == 0 {
                submission = continued
            } else {
                submission = SubmissionRecord(
                    id: nil, campaignId: configuration.campaign.id, sequence: nomination.newSequence!,
                    trackingNumber: nomination.trackingNumber, unitName: configuration.units.unit(forAddress: verdict.fromAddress ?? "")?.name,
                    senderAddress: verdict.fromAddress ?? "", senderName: verdict.fromName, title: verdict.subject,
                    status: .acknowledged, createdAt: now, updatedAt: now)
                try store.insert(&submission)
            }
            let submissionId = submission.id!
            var version = VersionRecord(id: nil, submissionId: submissionId, number: nomination.versionNumber, messageRowId: rowId,
                                        action: nomination.action, createdAt: now)
            version.nominationIndex = index
            version.pendingLinks = PendingLink.json(nomination.links)
            try store.insert(&version)
            for file in nomination.files {
                var record = file.record(versionId: version.id!)
                try store.insert(&record)
            }
            try store.insert(nomination.problems, versionId: version.id!)
            for duplicate in nomination.duplicates {
                var match = duplicate.match
                match.versionId = version.id!
                try store.insert(&match)
            }
            // A copy of a deed on file is not indexed: later checks find the original, once.
            for essay in nomination.essays where essay.essay.sha256.count == 64 && nomination.action != .alreadySubmitted {
                try store.indexEssay(EssayIndex.record(essay, submissionId: submissionId), bandKeys: essay.fingerprint.bandKeys, anchorKeys: essay.fingerprint.anchorKeys)
            }
            if let form = nomination.nomination.form { submission.take(form, keys: keys) }
            submission.status = nomination.action.submissionStatus
            submission.updatedAt = now
            try store.update(submission)
            try SearchIndex.refresh(submissionId: submissionId, store: store)
            try store.log(EventRecord(at: now, actor: "system", kind: nomination.versionNumber == 1 ? EventKind.submissionCreated : .versionAdded,
                                      submissionId: submissionId, messageRowId: rowId,
                                      detail: "\(submission.trackingNumber) 第 \(nomination.versionNumber) 版，\(nomination.action.label)"))
            filed.append(IntakeOutcome.FiledSubmission(
                trackingNumber: submission.trackingNumber, submissionId: submissionId, versionNumber: nomination.versionNumber,
                action: nomination.action, problems: nomination.problems, category: nomination.nomination.form?.category?.chineseName,
                nominee: nomination.nomination.form?.nominee, unit: nomination.nomination.form?.unit,
                title: nomination.nomination.form?.deedTitle, materials: nomination.nomination.materialNames))
        }
        let firstId = filed.first?.submissionId
        if !verdict.unassigned.isEmpty {
            try store.log(EventRecord(at: now, actor: "system", kind: .materialsUnassigned, submissionId: firstId, messageRowId: rowId,
                                      detail: "无法归入某一推报、请工作人员分配的材料：\(verdict.unassigned.joined(separator: "；"))"))
        }
        row.status = .filed
        try store.update(row)

        let (replyId, queued) = try queueReply(verdict.reply, submissionId: firstId, rowId: rowId, store: store, now: now)
        let first = filed.first
        return IntakeOutcome(messageRowId: rowId, sha256: row.sha256, status: .filed, action: verdict.action, reason: nil,
                             parsed: nil, trackingNumber: first?.trackingNumber, submissionId: first?.submissionId,
                             versionNumber: first?.versionNumber, problems: first?.problems ?? [], replyId: replyId,
                             alreadyProcessed: false, nominations: filed, unassigned: verdict.unassigned, reply: queued)
    }

    /// A resend or a colleague's copy: the message is filed with the submission it repeats, no
    /// version is added, and the one reply names the record.
    private func commitResend(_ verdict: Verdict, of original: SubmissionRecord, row: MessageRecord, store: StoreWriter,
                              now: Date) throws -> IntakeOutcome {
        var row = row
        row.status = .filed
        try store.update(row)
        try store.log(EventRecord(at: now, actor: "system", kind: .messageResend, submissionId: original.id, messageRowId: row.id,
                                  detail: "\(original.trackingNumber) 的重复报送（未带来新材料），不另立版本"))
        let (replyId, queued) = try queueReply(verdict.reply, submissionId: original.id, rowId: row.id!, store: store, now: now)
        var outcome = IntakeOutcome(messageRowId: row.id!, sha256: row.sha256, status: .filed, action: .alreadySubmitted, reason: nil,
                                    parsed: nil, trackingNumber: original.trackingNumber, submissionId: original.id,
                                    versionNumber: nil, problems: [], replyId: replyId, alreadyProcessed: false, reply: queued)
        outcome.resendOf = original.trackingNumber
        return outcome
    }

    private func queueReply(_ planned: PlannedReply?, submissionId: Int64?, rowId: Int64, store: StoreWriter,
                            now: Date) throws -> (Int64?, IntakeOutcome.QueuedReply?) {
        var replyId: Int64?
        var queued: IntakeOutcome.QueuedReply?
        let firstId = submissionId
        if let planned {
            queued = IntakeOutcome.QueuedReply(kind: planned.kind, recipient: planned.recipient, subject: planned.subject,
                                               queued: planned.heldBecause == nil)
            var reply = ReplyBuilder.record(planned, messageRowId: rowId, submissionId: firstId, now: now)
            try store.insert(&reply)
            replyId = reply.id
            let detail = reply.status == .suppressed
                ? "\(planned.kind.label) → \(planned.recipient) 未发送：\(reply.lastError ?? "")；如确需发送：tuibao resend \(reply.id!)"
                : "\(planned.kind.label) → \(planned.recipient)"
            try store.log(EventRecord(at: now, actor: "system", kind: reply.status == .suppressed ? EventKind.replySuppressed : .replyQueued,
                                      submissionId: firstId, messageRowId: rowId, detail: detail))
        } else {
            try store.log(EventRecord(at: now, actor: "system", kind: .replySkipped, submissionId: firstId, messageRowId: rowId,
                                      detail: "没有可回复的地址，不发送回复"))
        }
        return (replyId, queued)
    }
}

extension SubmissionRecord {
    /// What the nomination form says, where it says it: nominee, category, deed title and the
    /// normalised keys the duplicate check compares.
    mutating func take(_ form: NominationForm, keys: MatchingKeys) {
        nominee = form.nominee ?? nominee
        category = form.category?.chineseName ?? category
        title = form.deedTitle ?? title
        nomineeKey = keys.name(form.nominee) ?? nomineeKey
        unitKey = form.unit.map(keys.unit) ?? unitKey
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
