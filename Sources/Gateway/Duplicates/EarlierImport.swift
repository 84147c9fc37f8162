import Fingerprints
import Foundation
import Intake
import MaterialChecks
import Store

/// What `tuibao campaign import` did.
public struct EarlierImportReport: Sendable {
    public var campaignId: String
    public var records: Int
    public var files: Int
    public var fingerprinted: Int
    public var problems: [EarlierListProblem]
}

public struct EarlierImportError: Error, CustomStringConvertible {
    public var problems: [EarlierListProblem]
    public var description: String {
        "有 \(problems.count) 行无法读取，未导入任何记录（可加 --skip-bad 只导入其余各行）：\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}

extension IntakePipeline {
    /// Imports an earlier campaign's list. Rows are read and their documents examined and
    /// fingerprinted first; then everything goes into the store in one transaction, so an
    /// import is all or nothing. `progress` is told (done, total) as documents are read.
    public func importEarlier(listAt url: URL, campaignId: String, campaignName: String?, skipBad: Bool = false,
                              now: Date = Date(), progress: (Int, Int) -> Void = { _, _ in }) throws -> EarlierImportReport {
        var (rows, problems) = try EarlierList.read(fileAt: url)
        let base = url.deletingLastPathComponent()
        let keys = MatchingKeys(units: configuration.units)
        let work = try store.files.workDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let examiner = MaterialExaminer(rules: configuration.rules, scratch: work)

        struct Prepared {
            var row: EarlierListRow
            var sha256: String?
            var fingerprint: EssayFingerprint?
            /// What the document turned out to be, kept so duplicate checks can compare its text exactly.
            var facts: MaterialFacts?
        }
        var prepared: [Prepared] = []
        for (index, row) in rows.enumerated() {
            progress(index, rows.count)
            var item = Prepared(row: row, sha256: row.sha256, fingerprint: nil, facts: nil)
            if let file = row.file {
                let path = URL(fileURLWithPath: file, relativeTo: base).standardizedFileURL
                if FileManager.default.isReadableFile(atPath: path.path) {
                    let sha256 = try Hex.sha256(fileAt: path)
                    if let given = row.sha256, given != sha256 {
                        problems.append(EarlierListProblem(line: row.line, message: "文件 \(file) 的 sha256 与表中不符"))
                        continue
                    }
                    item.sha256 = sha256
                    let size = (try? FileManager.default.attributesOfItem(atPath: path.path)[.size] as? Int) ?? 0
                    let facts = examiner.examine(fileAt: path, name: path.lastPathComponent, sha256: sha256, size: size)
                    item.facts = facts
                    if let text = facts.flattened.first(where: { $0.kind == .essay && $0.text != nil })?.text {
                        item.fingerprint = EssayIndex.fingerprint(text)
                    }
                } else if row.sha256 == nil {
                    problems.append(EarlierListProblem(line: row.line, message: "找不到文件 \(file)，也没有给出 sha256"))
                    continue
                }
            }
            prepared.append(item)
        }
        progress(rows.count, rows.count)
        problems.sort { $0.line < $1.line }
        if !problems.isEmpty && !skipBad { throw EarlierImportError(problems: problems) }
        rows = prepared.map(\.row)

        var report = EarlierImportReport(campaignId: campaignId, records: 0, files: 0, fingerprinted: 0, problems: problems)
        try store.write { store in
            if try store.reader.earlierCampaign(id: campaignId) == nil {
                guard let campaignName else {
                    throw StoreError("没有编号为 \(campaignId) 的往期活动：请先 tuibao campaign add，或在导入时给出 --name")
                }
                try store.insert(EarlierCampaignRecord(id: campaignId, name: campaignName, createdAt: now))
            }
            var recordIds: [String: Int64] = [:]
            for item in prepared {
                let row = item.row
                let recordId: Int64
                if let known = recordIds[row.id] {
                    recordId = known  // a further file of the same record
                } else if let existing = try store.reader.earlierRecord(campaignId: campaignId, externalId: row.id) {
                    recordId = existing.id!  // imported before: only new files and fingerprints are added
                } else {
                    var record = EarlierRecord(campaignId: campaignId, externalId: row.id, unit: row.unit, unitKey: keys.unit(row.unit),
                                               category: row.category, nominee: row.nominee, nomineeKey: keys.name(row.nominee),
                                               title: row.title, titleKey: TextNormalizer.normalizedName(row.title),
                                               submittedOn: row.submittedOn, importedAt: now)
                    try store.insert(&record)
                    recordId = record.id!
                    report.records += 1
                }
                recordIds[row.id] = recordId
                if let sha256 = item.sha256, try !store.reader.earlierRecord(recordId, hasFile: sha256) {
                    try store.insert(EarlierFileRecord(recordId: recordId, fileName: row.file, sha256: sha256))
                    report.files += 1
                }
                if let facts = item.facts {
                    try store.cacheFacts(sha256: facts.sha256, name: facts.name, kind: facts.kind.rawValue, json: facts.json, now: now)
                }
                if let fingerprint = item.fingerprint, let sha256 = item.sha256 {
                    try store.insertFingerprint(EssayFingerprintRecord(
                        earlierRecordId: recordId, submissionId: nil, sha256: sha256, normalizedLength: fingerprint.normalizedLength,
                        shingleCount: fingerprint.shingleCount, signature: fingerprint.signature.littleEndianData),
                        bandKeys: fingerprint.bandKeys, anchorKeys: fingerprint.anchorKeys)
                    report.fingerprinted += 1
                }
            }
            try store.log(EventRecord(at: now, actor: "staff", kind: .campaignImported,
                                      detail: "往期活动 \(campaignId)：导入 \(report.records) 条记录、\(report.files) 个文件、\(report.fingerprinted) 篇征文指纹"))
        }
        return report
    }
}
