import ArgumentParser
import Foundation
import Gateway
import Store

/// `tuibao campaign add|list|import`: the earlier campaigns whose deeds need not be sent again.
struct CampaignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign", abstract: "往期活动名单：添加、查看、导入。 Earlier campaigns for duplicate checks.",
        subcommands: [CampaignAddCommand.self, CampaignListCommand.self, CampaignImportCommand.self])
}

struct CampaignAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "添加一个往期活动。 Add an earlier campaign.")

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "活动编号，如 jingtou2017。")
    var id: String

    @Option(help: "活动名称，如“镜头中的最美科学家”视频征集。")
    var name: String

    func run() throws {
        let (_, store) = try gateway.openStore()
        guard try store.addEarlierCampaign(id: id, name: name, now: StaffFormatting.now()) else {
            throw CommandFailure("往期活动 \(id) 已存在")
        }
        print("已添加往期活动 \(id)：\(name)")
    }
}

struct CampaignListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "列出往期活动及记录数。 List earlier campaigns.")

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "输出 JSON。")
    var json = false

    /// One campaign of `campaign list --json`; the current one has no counts of its own here.
    struct Campaign: Encodable {
        var id: String
        var name: String
        var current: Bool
        @Nullable var records: Int?
        @Nullable var files: Int?
        @Nullable var essays: Int?
    }

    func run() throws {
        let (configuration, store) = try gateway.openStore()
        let campaigns = try store.earlierCampaignSummaries()
        if json {
            let current = Campaign(id: configuration.campaign.id, name: configuration.campaign.name, current: true,
                                   records: nil, files: nil, essays: nil)
            print(try JSONOutput.string([current] + campaigns.map {
                Campaign(id: $0.id, name: $0.name, current: false, records: $0.records, files: $0.files, essays: $0.essays)
            }))
            return
        }
        var table = TextTable(["编号", "名称", "记录", "文件", "征文指纹"])
        table.add([configuration.campaign.id, "\(configuration.campaign.name)（本次）", "—", "—", "—"])
        for campaign in campaigns {
            table.add([campaign.id, campaign.name, "\(campaign.records)", "\(campaign.files)", "\(campaign.essays)"])
        }
        print(table.render(), terminator: "")
    }
}

struct CampaignImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "导入往期活动的推报清单（CSV 或 .xlsx）。 Import an earlier campaign's list.",
        discussion: """
        列：id,unit,category,nominee,title,submitted_on,file,sha256（或 编号,单位,类型,名称,标题,日期,文件,sha256）。
        file 为相对清单所在目录的路径，可空；文件不在手边时可只给 sha256。全部导入或全部不导入；
        有无法读取的行时列出行号并停止，加 --skip-bad 则只导入其余各行。再次导入同一清单不会重复。
        """)

    @OptionGroup var gateway: GatewayOptions

    @Option(help: "往期活动编号。")
    var campaign: String

    @Option(help: "活动名称（活动尚未添加时必填）。")
    var name: String?

    @Flag(help: "跳过无法读取的行，导入其余各行。")
    var skipBad = false

    @Argument(help: "清单文件（.csv 或 .xlsx）。")
    var file: String

    func run() throws {
        let pipeline = try gateway.openPipeline()
        let interactive = isatty(STDERR_FILENO) == 1
        let report = try pipeline.importEarlier(listAt: URL(fileURLWithPath: file), campaignId: campaign, campaignName: name,
                                                skipBad: skipBad, now: StaffFormatting.now()) { done, total in
            guard interactive, total > 0 else { return }
            let width = 30, filled = width * done / total
            FileHandle.standardError.write(Data("\r读取材料 [\(String(repeating: "█", count: filled))\(String(repeating: "·", count: width - filled))] \(done)/\(total)".utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        }
        print("往期活动 \(report.campaignId)：导入 \(report.records) 条记录、\(report.files) 个文件、\(report.fingerprinted) 篇征文指纹。")
        if !report.problems.isEmpty {
            print("跳过 \(report.problems.count) 行：")
            for problem in report.problems { print("  \(problem)") }
        }
    }
}
