import Foundation
import Intake
import MaterialChecks
import Materials
import Store

/// What `tuibao merge` did.
public struct MergeOutcome: Sendable {
    public var merged: String
    public var into: String
    public var versionNumber: Int
    public var action: Action
    public var problems: [Problem]
    public var replyId: Int64?
}

/// Staff fix a wrong split (`tuibao merge ID INTO-ID`): a supplement filed as a deed of its
/// own. Its current files become a new version of the other submission — replacing by role, as
/// a supplement would have — which the intake core judges again; the merged submission stays,
/// marked as a copy of that deed; the unit gets one reply for the merged record.
extension IntakePipeline {
    /// Versions made by a merge carry a nomination index from here on.
    static let mergedNominationBase = 1000

    public func merge(_ submissionId: Int64, into targetId: Int64, actor: String, now: Date = Date()) throws -> MergeOutcome {
        guard submissionId != targetId else { throw StoreError("不能把一件推报合并到它自己 (cannot merge a submission into itself)") }
        let (source, sourceVersion, sourceMessage) = try latestVersion(of: submissionId)
        let (target, targetVersion, _) = try latestVersion(of: targetId)
        guard source.mergedIntoId == nil else {
            throw StoreError("\(source.trackingNumber) 已经合并过 (already merged)")
        }
        let body = bodyText(of: sourceMessage)
        let work = try store.files.workDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let reading = materialReading(work, mode: .intake(store), now: now)

        return try store.write { store in
            let assessor = IntakeAssessor(configuration: configuration, templates: templates, reading: reading, fileStore: self.store)
            let arriving = try store.reader.files(ofVersion: sourceVersion.id!)
            let arrivingFacts = try arriving.map { try assessor.storedFacts(of: $0, store: store.reader) }
            let planned = try assessor.plannedFiles(arriving.map { file in
                var planned = PlannedFile(file)
                planned.carriedFromVersionId = nil
                return planned
            }, newFacts: arrivingFacts, previous: try store.reader.files(ofVersion: targetVersion.id!), store: store.reader)
            let links = (PendingLink.list(json: sourceVersion.pendingLinks) ?? []).isEmpty
                ? PendingLink.list(json: targetVersion.pendingLinks) ?? [] : PendingLink.list(json: sourceVersion.pendingLinks) ?? []
            var version = VersionRecord(id: nil, submissionId: targetId, number: targetVersion.number + 1,
                                        messageRowId: sourceVersion.messageRowId, action: targetVersion.action, createdAt: now)
            // The merged version comes from the merged submission's mail, which already has its
            // own version: numbered apart so (message, nomination) stays unique.
            version.nominationIndex = Self.mergedNominationBase + Int(version.number)
            try store.insert(&version)
            for file in planned {
                var record = file.record(versionId: version.id!)
                try store.insert(&record)
            }
            let result = try rejudge(version, of: target, message: sourceMessage, body: body, links: links, reading: reading,
                                     actor: actor, receiptTag: "merge", store: store, now: now)
            var merged = source
            merged.mergedIntoId = targetId
            merged.status = .alreadySubmitted
            merged.updatedAt = now
            try store.update(merged)
            try SearchIndex.refresh(submissionId: targetId, store: store)
            try store.log(EventRecord(at: now, actor: actor, kind: .submissionsMerged, submissionId: targetId,
                                      messageRowId: sourceVersion.messageRowId,
                                      detail: "\(source.trackingNumber) 并入本件，成为第 \(version.number) 版：\(result.judged.action.label)"))
            try store.log(EventRecord(at: now, actor: actor, kind: .submissionsMerged, submissionId: submissionId,
                                      detail: "并入 \(target.trackingNumber)（第 \(version.number) 版）"))

            // One reply for the merged record, unless the rejudging already queued its receipt.
            var replyId = result.receiptReplyId
            if replyId == nil, ReplyAddressing.recipient(for: InboundMessage(fromAddress: source.senderAddress)) != nil {
                let current = try store.reader.submission(id: targetId) ?? target
                var addressed = current
                addressed.senderAddress = source.senderAddress
                addressed.senderName = source.senderName
                let planned = try ReplyBuilder(configuration: configuration, templates: templates).staffReply(
                    result.judged.action, submission: addressed, message: sourceMessage, versionNumber: version.number,
                    files: planned.map { ($0.displayName, SizeText.of($0.size)) }, problems: result.judged.problems,
                    staffErrors: [], tag: "merge-\(try store.reader.eventCount(submissionId: targetId))", receivedAt: now)
                var reply = ReplyBuilder.record(planned, kind: .decision, messageRowId: nil, submissionId: targetId, now: now)
                reply.contentKey = nil
                try store.insert(&reply)
                try store.log(EventRecord(at: now, actor: actor, kind: .replyQueued, submissionId: targetId,
                                          detail: "合并后的核对结果（\(result.judged.action.label)）→ \(source.senderAddress)"))
                replyId = reply.id
            }
            return MergeOutcome(merged: source.trackingNumber, into: target.trackingNumber, versionNumber: version.number,
                                action: result.judged.action, problems: result.judged.problems, replyId: replyId)
        }
    }
}
