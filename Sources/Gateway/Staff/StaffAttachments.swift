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
    /// - Parameter role: the role staff say the file takes (`--as`); it replaces the version's
    ///   file of that role (a form, essay or video; pictures are added). Nil: as examined.
    public func attach(fileAt source: URL, name: String? = nil, role: FileRole? = nil, to submissionId: Int64, actor: String,
                       now: Date = Date()) throws -> AttachOutcome {
        let displayName = name ?? source.lastPathComponent
        let (sha256, size) = try store.files.store(copyOf: source)
        let work = try store.files.workDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let reading = materialReading(work, mode: .intake(store), now: now)
        let facts = reading.examine(fileAt: store.files.path(forSHA256: sha256), name: displayName, sha256: sha256, size: size)
        if facts.kind != .unchecked {
            try store.write { try $0.cacheFacts(sha256: sha256, name: displayName, kind: facts.kind.rawValue, json: facts.json, now: now) }
        }

        let (submission, version, message) = try latestVersion(of: submissionId)
        let body = bodyText(of: message)
        // A video fetched from a link settles the links: they stop being pending.
        let links: [PendingLink] = facts.flattened.contains { $0.kind == .video }
            ? [] : PendingLink.list(json: version.pendingLinks) ?? reading.examiner.links(in: body)

        return try store.write { store in
            let takes = role ?? FileRole(facts)
            var replaced: [FileRecord] = []
            if takes.replacesEarlier {
                replaced = try store.reader.files(ofVersion: version.id!).filter { $0.role == takes }
                for var earlier in replaced {
                    earlier.removedAt = now
                    earlier.removedBy = actor
                    try store.update(earlier)
                }
            }
            var added = FileRecord(id: nil, versionId: version.id!, sha256: sha256, size: size, filename: displayName,
                                   contentType: "application/octet-stream", carriedFromVersionId: nil)
            added.role = takes
            added.replacesFileId = replaced.first?.id
            try store.insert(&added)
            let result = try rejudge(version, of: submission, message: message, body: body, links: links, reading: reading,
                                     actor: actor, receiptTag: "attach", store: store, now: now)
            let replacing = replaced.isEmpty ? "" : "，替换“\(replaced.map { $0.filename ?? "（无文件名）" }.joined(separator: "”“"))”"
            try store.log(EventRecord(at: now, actor: actor, kind: .fileAttached, submissionId: submissionId,
                                      messageRowId: version.messageRowId,
                                      detail: "工作人员补充材料“\(displayName)”（\(SizeText.of(size))，\(takes.label)\(replacing)），第 \(version.number) 版重新核对：\(result.judged.action.label)"))
            return AttachOutcome(trackingNumber: submission.trackingNumber, fileName: displayName, kind: facts.kind,
                                 action: result.judged.action, problems: result.judged.problems,
                                 receiptReplyId: result.receiptReplyId)
        }
    }

    /// Takes a file out of a submission's current version (`tuibao remove`), logged, and judges
    /// the version again. The file stays in the store and in the version's history.
    public func remove(fileNamed name: String, from submissionId: Int64, actor: String, now: Date = Date()) throws -> AttachOutcome {
        let (submission, version, message) = try latestVersion(of: submissionId)
        let body = bodyText(of: message)
        let work = try store.files.workDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let reading = materialReading(work, mode: .intake(store), now: now)
        return try store.write { store in
            let files = try store.reader.files(ofVersion: version.id!)
            let number = Int(name).flatMap { $0 >= 1 && $0 <= files.count ? $0 - 1 : nil }
            guard var file = number.map({ files[$0] }) ?? files.first(where: { $0.filename == name }) else {
                throw StoreError("\(submission.trackingNumber) 的当前版本没有文件“\(name)”（可用 tuibao show 查看文件名或序号）(no such file)")
            }
            file.removedAt = now
            file.removedBy = actor
            try store.update(file)
            let links = PendingLink.list(json: version.pendingLinks) ?? []
            let result = try rejudge(version, of: submission, message: message, body: body, links: links, reading: reading,
                                     actor: actor, receiptTag: "remove", store: store, now: now)
            try store.log(EventRecord(at: now, actor: actor, kind: .fileRemoved, submissionId: submissionId,
                                      messageRowId: version.messageRowId,
                                      detail: "工作人员从第 \(version.number) 版移除“\(file.filename ?? "（无文件名）")”，重新核对：\(result.judged.action.label)"))
            return AttachOutcome(trackingNumber: submission.trackingNumber, fileName: file.filename ?? "（无文件名）",
                                 kind: .other, action: result.judged.action, problems: result.judged.problems,
                                 receiptReplyId: result.receiptReplyId)
        }
    }
}
