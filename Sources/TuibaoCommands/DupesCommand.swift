import ArgumentParser
import Foundation
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
        @Nullable var matchedDate: String?
        var matchedTitle: String
        @Nullable var matchedNominee: String?
        @Nullable var matchedUnit: String?
        @Nullable var essaySimilarity: Double?
        @Nullable var titleSimilarity: Double?
        var sameNomineeAndUnit: Bool
        var sharedFiles: [SharedFile]
    }

    func run() throws {
        let (configuration, store) = try gateway.openStore()
        let submission = try requireSubmission(id, in: store)
        let evidence = try store.read { store -> [Evidence] in
            try store.duplicateEvidence(ofSubmission: submission.id!).map { found in
                let match = found.match
                let shared = (try? JSONDecoder().decode([Evidence.SharedFile].self, from: Data(match.sharedFiles.utf8))) ?? []
                var item = Evidence(version: found.versionNumber, code: match.code, matchedCampaign: "", matchedId: "",
                                    matchedDate: nil, matchedTitle: "", matchedNominee: nil, matchedUnit: nil,
                                    essaySimilarity: match.essaySimilarity, titleSimilarity: match.titleSimilarity,
                                    sameNomineeAndUnit: match.sameNominee, sharedFiles: shared)
                if let recordId = match.earlierRecordId, let record = try store.earlierRecord(id: recordId) {
                    item.matchedCampaign = try store.earlierCampaign(id: record.campaignId)?.name ?? record.campaignId
                    item.matchedId = record.externalId
                    item.matchedDate = record.submittedOn
                    item.matchedTitle = record.title
                    item.matchedNominee = record.nominee
                    item.matchedUnit = record.unit
                } else if let otherId = match.otherSubmissionId, let other = try store.submission(id: otherId) {
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
