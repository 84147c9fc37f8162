import ArgumentParser
import Foundation
import GRDB
import Gateway
import Store

/// `tuibao dupes YS2018-0042`: why tuibao thinks a deed was already submitted — which records,
/// which shared files, how similar — so staff can overrule with `tuibao decide`.
struct DupesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dupes", abstract: "查看重复报送的依据。 Show the evidence of a duplicate finding.")

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "受理编号。")
    var id: String

    @Flag(help: "输出 JSON。")
    var json = false

    struct Evidence: Encodable {
        struct SharedFile: Codable {
            var sha256: String
            var name: String
        }
        var version: Int
        var code: String
        var matchedCampaign: String
        var matchedId: String
        var matchedDate: String?
        var matchedTitle: String
        var matchedNominee: String?
        var matchedUnit: String?
        var essaySimilarity: Double?
        var titleSimilarity: Double?
        var sameNomineeAndUnit: Bool
        var sharedFiles: [SharedFile]
    }

    func run() throws {
        let (configuration, store) = try gateway.openStore()
        let submission = try requireSubmission(id, in: store)
        let evidence = try store.database.read { db -> [Evidence] in
            let rows = try Row.fetchAll(db, sql: """
                SELECT m.*, v.number AS versionNumber FROM duplicate_match m JOIN version v ON v.id = m.versionId
                WHERE v.submissionId = ? ORDER BY v.number, m.id
                """, arguments: [submission.id!])
            return try rows.map { row in
                let shared = (try? JSONDecoder().decode([Evidence.SharedFile].self, from: Data((row["sharedFiles"] as String).utf8))) ?? []
                var item = Evidence(version: row["versionNumber"], code: row["code"], matchedCampaign: "", matchedId: "",
                                    matchedDate: nil, matchedTitle: "", matchedNominee: nil, matchedUnit: nil,
                                    essaySimilarity: row["essaySimilarity"], titleSimilarity: row["titleSimilarity"],
                                    sameNomineeAndUnit: row["sameNominee"], sharedFiles: shared)
                if let recordId: Int64 = row["earlierRecordId"], let record = try EarlierRecord.fetchOne(db, key: recordId) {
                    item.matchedCampaign = try EarlierCampaignRecord.fetchOne(db, key: record.campaignId)?.name ?? record.campaignId
                    item.matchedId = record.externalId
                    item.matchedDate = record.submittedOn
                    item.matchedTitle = record.title
                    item.matchedNominee = record.nominee
                    item.matchedUnit = record.unit
                } else if let otherId: Int64 = row["otherSubmissionId"], let other = try SubmissionRecord.fetchOne(db, key: otherId) {
                    item.matchedCampaign = "\(configuration.campaign.name)（本次）"
                    item.matchedId = other.trackingNumber
                    item.matchedDate = StaffFormatting.day(other.createdAt)
                    item.matchedTitle = other.title ?? ""
                    item.matchedNominee = other.nominee
                    item.matchedUnit = other.unitName
                }
                return item
            }
        }
        if json { print(try JSONOutput.string(evidence)); return }
        guard !evidence.isEmpty else { print("\(submission.trackingNumber) 没有发现重复报送。"); return }
        for item in evidence {
            print("第 \(item.version) 版  \(item.code)")
            print("  对照:     \(item.matchedCampaign)　\(item.matchedId)\(item.matchedDate.map { "　\($0)" } ?? "")")
            print("  标题:     《\(item.matchedTitle)》\(item.titleSimilarity.map { "　标题相似度 \(Self.percent($0))" } ?? "")")
            if let nominee = item.matchedNominee {
                print("  推报对象: \(nominee)（\(item.matchedUnit ?? "")）\(item.sameNomineeAndUnit ? "　与本件相同" : "")")
            }
            if let similarity = item.essaySimilarity { print("  征文相似度: \(Self.percent(similarity))") }
            for file in item.sharedFiles { print("  相同文件: \(file.name)　SHA-256 \(file.sha256)") }
        }
        print("如判断有误，可用 tuibao decide \(submission.trackingNumber) accepted --note 原因 改判（记入处理记录）。")
    }

    static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
}
