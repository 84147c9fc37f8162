import ArgumentParser
import Foundation
import Gateway
import Store

/// `tuibao publish add|remove|list|build`: the website column (专题) of selected deeds.
struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "网站专栏：标记要发布的事迹，生成静态网站。 The website column: mark deeds, build the static site.",
        discussion: "只有已受理或已采纳的推报可以发布。标记与撤下都记录在案。",
        subcommands: [PublishAddCommand.self, PublishRemoveCommand.self, PublishListCommand.self, PublishBuildCommand.self])
}

struct PublishAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "把事迹加入专栏（记录在案）。 Mark deeds for the column.")

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "受理编号（可多个）。 Tracking numbers.")
    var ids: [String]

    @Option(help: "操作人（默认为当前登录用户）。 Who publishes.")
    var by: String?

    func validate() throws {
        if ids.isEmpty { throw ValidationError("请给出受理编号 (give tracking numbers)") }
    }

    func run() throws {
        let (_, store) = try gateway.openStore()
        let submissions = try ids.map { try requireSubmission($0, in: store) }
        let added = Set(try store.publish(submissionIds: submissions.map { $0.id! }, actor: StaffFormatting.actor(by),
                                          now: StaffFormatting.now()))
        for submission in submissions {
            print(added.contains(submission.id!) ? "\(submission.trackingNumber) 已加入专栏。" : "\(submission.trackingNumber) 已在专栏中。")
        }
        print("运行 tuibao publish build --to 目录 以更新网站。")
    }
}

struct PublishRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "从专栏撤下事迹（记录在案）。 Take deeds off the column.")

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "受理编号（可多个）。 Tracking numbers.")
    var ids: [String]

    @Option(help: "操作人（默认为当前登录用户）。 Who removes.")
    var by: String?

    func validate() throws {
        if ids.isEmpty { throw ValidationError("请给出受理编号 (give tracking numbers)") }
    }

    func run() throws {
        let (_, store) = try gateway.openStore()
        let submissions = try ids.map { try requireSubmission($0, in: store) }
        try store.unpublish(submissionIds: submissions.map { $0.id! }, actor: StaffFormatting.actor(by), now: StaffFormatting.now())
        for submission in submissions { print("\(submission.trackingNumber) 已从专栏撤下。") }
        print("运行 tuibao publish build --to 目录 以更新网站。")
    }
}

struct PublishListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "列出专栏中的事迹。 The deeds marked for the column.")

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "输出 JSON。")
    var json = false

    /// One row of `publish list --json`.
    struct Row: Encodable {
        var trackingNumber: String
        @Nullable var unit: String?
        @Nullable var category: String?
        @Nullable var nominee: String?
        @Nullable var title: String?
        var status: String
        var statusLabel: String
        /// False when the deed is no longer acknowledged or accepted: `build` leaves it out.
        var publishable: Bool
        var publishedBy: String
        var publishedAt: Date
        var page: String
    }

    func run() throws {
        let (_, store) = try gateway.openStore()
        let deeds = try store.publishedDeeds()
        if json {
            print(try JSONOutput.string(deeds.map { deed in
                let submission = deed.submission
                return Row(trackingNumber: submission.trackingNumber, unit: submission.unitName, category: submission.category,
                           nominee: submission.nominee, title: submission.title, status: submission.status.rawValue,
                           statusLabel: submission.status.label, publishable: submission.status.isPublishable && submission.mergedIntoId == nil,
                           publishedBy: deed.mark.publishedBy, publishedAt: deed.mark.publishedAt,
                           page: "deeds/\(submission.trackingNumber).html")
            }))
            return
        }
        guard !deeds.isEmpty else { print("专栏中还没有事迹。用 tuibao publish add 受理编号 加入。 Nothing marked yet."); return }
        var table = TextTable(["受理编号", "单位", "类型", "推报对象", "标题", "状态", "标记人", StaffFormatting.timeHeader("标记时间")],
                              fixed: [0, 2, 5, 7])
        for deed in deeds {
            let submission = deed.submission
            let status = submission.status.isPublishable ? submission.status.label : "\(submission.status.label)（不发布）"
            table.add([submission.trackingNumber, submission.unitName.map(QueueCommand.shortUnitName) ?? "—",
                       submission.category ?? "—", submission.nominee ?? "—", submission.title ?? "", status,
                       deed.mark.publishedBy, StaffFormatting.date(deed.mark.publishedAt)])
        }
        print(table.render() + "共 \(deeds.count) 篇。", terminator: "\n")
    }
}

struct PublishBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "生成（或更新）专栏静态网站。 Build or update the column's static site.",
        discussion: """
        网站包括：首页（按团队/个人和单位）、每篇事迹一页（deeds/受理编号.html）、适合网页的图片、视频及封面、
        Atom 订阅（feed.xml）和 sitemap.xml。再次运行时只改写有变化的文件，撤下的事迹页面被删除。
        """)

    @OptionGroup var gateway: GatewayOptions

    @Option(name: .customLong("to"), help: "网站目录（不存在则创建）。 The site's folder.")
    var directory: String

    @Option(name: .customLong("base-url"),
            help: "网站的网址，如 https://www.cas.cn/zt/yisuo/（订阅和 sitemap 用；默认为目录的 file:// 地址，供预览）。 Where the site is served.")
    var baseURL: String?

    func validate() throws {
        if let baseURL {
            guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(), ["http", "https", "file"].contains(scheme) else {
                throw ValidationError("--base-url 须是 http(s):// 网址 (must be an http(s) URL): \(baseURL)")
            }
        }
    }

    func run() throws {
        let pipeline = try gateway.openPipeline()
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        var base = baseURL.flatMap(URL.init(string:)) ?? target
        if !base.absoluteString.hasSuffix("/") { base = URL(string: base.absoluteString + "/")! }
        let report = try SiteBuilder(pipeline: pipeline).build(to: target, baseURL: base)
        for (trackingNumber, reason) in report.skipped { print("未发布 \(trackingNumber)：\(reason)") }
        for warning in report.warnings { print("注意：\(warning)") }
        print("专栏共 \(report.deeds.count) 篇：写入 \(report.written.count) 个文件，\(report.unchanged.count) 个未变，删除 \(report.deleted.count) 个。→ \(target.path)")
        for path in report.deleted { print("  删除 \(path)") }
    }
}
