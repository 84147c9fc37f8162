import ArgumentParser
import Foundation
import Gateway
import Intake
import Store

/// `tuibao review …`: choosing the year's best (评选年度最佳事迹) — a round, the shortlist,
/// conflicts of interest, the assignment, scores, progress, the ranking, closing the round.
/// The logic is in `Gateway/Review`; these commands parse, call and print.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "评选年度最佳事迹：评审轮次、入围名单、分配、评分、排名。 The committee review.",
        discussion: """
        评审标准、权重、每件评审人数和评审专家写在配置的 [review] 段。review send 把评分表和评审材料发给各位专家；
        专家回复邮件交回评分表，收件时自动记录并回执。工作人员也可以用 review score 录入或更正评分。
        Criteria, weights, k and the reviewers are in the configuration's [review] section. `review send` mails each
        reviewer a scoring sheet; returned sheets are filed by intake and answered with a receipt.
        """,
        subcommands: [ReviewOpenCommand.self, ReviewAddCommand.self, ReviewRemoveCommand.self, ReviewConflictCommand.self,
                      ReviewAssignCommand.self, ReviewSendCommand.self, ReviewScoreCommand.self, ReviewStatusCommand.self, ReviewRankingCommand.self,
                      ReviewCloseCommand.self, ReviewChooseCommand.self])
}

extension GatewayOptions {
    func openReviewDesk() throws -> ReviewDesk {
        let (configuration, store) = try openStore()
        return try ReviewDesk(store: store, configuration: configuration)
    }
}

/// How the review prints numbers: two decimals in tables.
enum ReviewFormatting {
    static func fixed(_ value: Double?, digits: Int = 2) -> String {
        guard let value else { return "—" }
        let text = String(format: "%.\(digits)f", value)
        return text == "-0.00" ? "0.00" : text
    }

    /// Rounded for JSON and the workbook: no 0.30000000000000004.
    static func rounded(_ value: Double?, digits: Int = 4) -> Double? {
        guard let value else { return nil }
        let scale = pow(10, Double(digits))
        let rounded = (value * scale).rounded() / scale
        return rounded == 0 ? 0 : rounded
    }

    static func criteria(_ criteria: [ReviewCriterion]) -> String {
        criteria.map { "\($0.name) \(ReviewDesk.number($0.weight))" }.joined(separator: "、")
    }

    /// A round's name as a shell word: quoted when it holds a space or a quote.
    static func quoted(_ name: String) -> String {
        name.contains { $0.isWhitespace || "'\"\\$`".contains($0) } ? "'" + name.replacingOccurrences(of: "'", with: "'\\''") + "'" : name
    }

    static func roundLine(_ round: ReviewRoundRecord) -> String {
        "评审轮次「\(round.name)」（\(round.isClosed ? "已结束" : "进行中")）：评审标准 \(criteria(round.criteria))；每件 \(round.reviewersPerDeed) 位评审专家。"
    }

    static func deedLabel(_ deed: ReviewDeed) -> String {
        [deed.trackingNumber, deed.unit.map(QueueCommand.shortUnitName), deed.nominee].compactMap { $0 }.joined(separator: " ")
    }
}

struct ReviewOpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "开始一个评审轮次（评审标准取自配置，或用 --criteria 另定）。 Open a review round.")

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "轮次名称，如“2018 年度最佳事迹”。 The round's name.")
    var name: String

    @Option(help: "本轮的评审标准及权重，如 事迹典型性=0.4,感染力=0.3,材料质量=0.3（默认取配置 [review] criteria）。 This round's criteria.")
    var criteria: String?

    @Option(help: "操作人（默认为当前登录用户）。 Who acts.")
    var by: String?

    func run() throws {
        let desk = try gateway.openReviewDesk()
        let round = try desk.open(name: name, criteria: try criteria.map(ReviewDesk.criteria(from:)), actor: StaffFormatting.actor(by),
                                  now: StaffFormatting.now())
        print(ReviewFormatting.roundLine(round))
        print("评审专家 \(desk.settings.reviewers.count) 位。下一步：tuibao review add 受理编号…")
    }
}

/// The deeds `review add` and `review remove` act on, and who acts.
struct ShortlistArguments: ParsableArguments {
    @Argument(help: "受理编号（可多个）。 Tracking numbers.")
    var ids: [String]

    @Option(help: "操作人。 Who acts.")
    var by: String?

    func validate() throws {
        if ids.isEmpty { throw ValidationError("请给出至少一个受理编号 (name at least one submission)") }
    }
}

struct ReviewAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "把已采纳的推报列入评审名单。 Shortlist accepted submissions.")

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var deeds: ShortlistArguments

    func run() throws {
        let desk = try gateway.openReviewDesk()
        let (added, already) = try desk.add(deeds.ids, actor: StaffFormatting.actor(deeds.by), now: StaffFormatting.now())
        for submission in added { print("\(submission.trackingNumber) 已列入评审名单。") }
        for submission in already { print("\(submission.trackingNumber) 已在名单上。") }
        let round = try desk.openRound()
        print("名单共 \(try desk.state(round).shortlist.count) 件。")
    }
}

struct ReviewRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "移出评审名单（已录入的评分保留在案）。 Take submissions off the shortlist.")

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var deeds: ShortlistArguments

    func run() throws {
        let desk = try gateway.openReviewDesk()
        for submission in try desk.remove(deeds.ids, actor: StaffFormatting.actor(deeds.by), now: StaffFormatting.now()) {
            print("\(submission.trackingNumber) 已移出评审名单。")
        }
    }
}

struct ReviewConflictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflict",
        abstract: "登记回避：某评审专家不评某件推报，或不评某单位的推报。 Declare a conflict of interest.",
        discussion: "评审专家本单位的推报自动回避，无需登记。 A reviewer's own unit is always excluded.")

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "评审专家（姓名或邮箱）。 The reviewer (name or address).")
    var reviewer: String

    @Argument(help: "受理编号。 The submission.")
    var id: String?

    @Option(help: "回避整个单位的推报（名录中的名称或简称）。 All submissions of this unit.")
    var unit: String?

    @Option(help: "回避的理由（必填）。 Why.")
    var reason: String = ""

    @Option(help: "操作人。 Who acts.")
    var by: String?

    func validate() throws {
        if (id == nil) == (unit == nil) { throw ValidationError("请给出受理编号或 --unit 单位（二者选一） (name a submission or --unit)") }
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("请用 --reason 写明回避的理由 (a conflict needs --reason)") }
    }

    func run() throws {
        let desk = try gateway.openReviewDesk()
        let declared = try desk.declareConflict(reviewer: reviewer, deed: id, unit: unit, reason: reason,
                                                actor: StaffFormatting.actor(by), now: StaffFormatting.now())
        let what = declared.deed.map { $0.trackingNumber } ?? "\(declared.unit ?? "")的推报"
        print("已登记：评审专家 \(declared.reviewer.name) 回避 \(what)（\(reason)）。")
        if !declared.released.isEmpty {
            print("已取消其对 \(declared.released.joined(separator: "、")) 的评审分配；请再运行 tuibao review assign 补足。")
        }
    }
}

struct ReviewAssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "为名单上的每件推报分配评审专家（均衡、回避本单位、可重现）。 Assign reviewers.",
        discussion: """
        每件分给 k 位专家（配置 reviewers_per_deed），各专家负担尽量均衡；从不分给推报所在单位的专家，也不分给登记了回避的专家。
        已有的分配保持不变，只补缺额；同样的名单、专家与回避，总是得到同样的分配。
        """)

    @OptionGroup var gateway: GatewayOptions

    @Option(help: "操作人。 Who acts.")
    var by: String?

    func run() throws {
        let desk = try gateway.openReviewDesk()
        let outcome = try desk.assign(actor: StaffFormatting.actor(by), now: StaffFormatting.now())
        if outcome.assigned.isEmpty {
            print("没有需要新分配的：每件推报都已有评审专家（或无人可分）。")
        } else {
            var table = TextTable(["受理编号", "评审专家", "邮箱"], fixed: [0])
            for (deed, reviewer) in outcome.assigned { table.add([deed.trackingNumber, reviewer.name, reviewer.address]) }
            print(table.render(), terminator: "")
            print("新分配 \(outcome.assigned.count) 项。")
        }
        print("各专家负担：" + outcome.loads.map { "\($0.reviewer.name) \($0.deeds) 件" }.joined(separator: "，"))
        if !outcome.shortfalls.isEmpty {
            for (deed, missing) in outcome.shortfalls {
                print("⚠ \(deed.trackingNumber) 缺 \(missing) 位评审专家：可评的专家不够（本单位或回避）。 (k cannot be met)")
            }
        }
    }
}

struct ReviewSendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "把评分表和评审材料发给评审专家（经待发队列）。 Mail each reviewer their scoring sheet.",
        discussion: """
        每位专家一封邮件：附评分表（.xlsx，列出分配给其的推报，每项标准一栏、评语一栏，隐藏工作表中带签名标识）
        和评审材料压缩包（各件的征文、推报表、图片；视频在邮件不超过 max_mail_mb 时随附，否则在信中列出）。
        邮件进入待发队列，由 serve 或 tuibao send 发出。已发过且名单未变的专家不再重发，除非加 --again。
        专家回复邮件交回评分表后，收件时核验标识与发件人、记录评分，并回信列出已记录和未能记录的单元格。
        """)

    @OptionGroup var gateway: GatewayOptions

    @Option(name: .customLong("reviewer"), help: "只发给这位专家（姓名或邮箱，可重复）。 Only these reviewers.")
    var reviewers: [String] = []

    @Flag(help: "名单未变也重新发送。 Send even if the latest sheet lists the same deeds.")
    var again = false

    @Option(help: "操作人。 Who acts.")
    var by: String?

    func run() throws {
        let (configuration, store) = try gateway.openStore()
        let desk = try ReviewDesk(store: store, configuration: configuration)
        let outcome = try ReviewMailer(desk: desk, configuration: configuration)
            .send(only: reviewers, again: again, actor: StaffFormatting.actor(by), now: StaffFormatting.now())
        if !outcome.sent.isEmpty {
            var table = TextTable(["评审专家", "邮箱", "推报", "附件", "回复编号"], fixed: [2, 3, 4])
            for sent in outcome.sent {
                table.add([sent.reviewer.name, sent.reviewer.address, "\(sent.deeds.count) 件", StaffFormatting.size(sent.attachmentBytes),
                           "\(sent.replyId)"])
            }
            print(table.render(), terminator: "")
            for sent in outcome.sent where !sent.leftOut.isEmpty {
                print("⚠ \(sent.reviewer.name)：视频较大未随附（信中已列出）：\(sent.leftOut.joined(separator: "、"))")
            }
            print("已为 \(outcome.sent.count) 位评审专家准备评分表，邮件在待发队列中（serve 会发出，或运行 tuibao send）。")
        }
        if !outcome.unchanged.isEmpty {
            print("未重发（评分表已发过，名单未变；需要时加 --again）：" + outcome.unchanged.map(\.name).joined(separator: "、"))
        }
        if !outcome.idle.isEmpty {
            print("没有分配推报，未发送：" + outcome.idle.map(\.name).joined(separator: "、"))
        }
    }
}

struct ReviewScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "录入或更正一位专家对一件推报的评分（记录在案，旧版本保留）。 Enter or correct a score.",
        discussion: """
        每项 1–10 分，可带小数：--criterion 事迹典型性=8 --criterion 感染力=7.5。只给出的标准被更新，其余沿用上一版。
        Each criterion 1–10; only the criteria given are replaced, every earlier version is kept.
        """)

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "受理编号。 The submission.")
    var id: String

    @Argument(help: "评审专家（姓名或邮箱）。 The reviewer.")
    var reviewer: String

    @Option(name: .customLong("criterion"), help: "标准=分数，可重复。 NAME=VALUE, repeatable.")
    var criteria: [String] = []

    @Option(help: "评语。 The reviewer's comment.")
    var comment: String?

    @Option(help: "操作人。 Who enters it.")
    var by: String?

    /// `感染力=8` → ("感染力", 8); a one-line error for anything else.
    static func parse(_ text: String) throws -> (criterion: String, value: Double) {
        guard let equals = text.lastIndex(of: "=") else {
            throw CommandFailure("评分应写成 标准=分数，如 感染力=8 (give NAME=VALUE): \(text)")
        }
        let name = text[..<equals].trimmingCharacters(in: .whitespaces)
        let number = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, let value = Double(number), value.isFinite else {
            throw CommandFailure("评分应写成 标准=分数，如 感染力=8 (give NAME=VALUE): \(text)")
        }
        return (name, value)
    }

    func run() throws {
        let values = try criteria.map(Self.parse)
        let desk = try gateway.openReviewDesk()
        let outcome = try desk.score(id, reviewer: reviewer, values: values, comment: comment, source: .staff,
                                     actor: StaffFormatting.actor(by), now: StaffFormatting.now())
        let given = values.map { value in
            "\(value.criterion) \(ReviewDesk.number(value.value))" + (outcome.replaced[value.criterion].map { "（原 \(ReviewDesk.number($0))）" } ?? "")
        }
        print("\(outcome.deed.trackingNumber) · \(outcome.reviewer.name)：\(given.joined(separator: "，"))"
              + "（第 \(outcome.entry.entry.version) 版，\(outcome.entry.entry.source.label)）")
        let round = try desk.openRound()
        if let weighted = outcome.current.weighted(round.criteria) {
            print("加权分 \(ReviewFormatting.fixed(weighted))。")
        } else {
            let missing = round.criteria.map(\.name).filter { outcome.current.values[$0] == nil }
            print("尚缺：\(missing.joined(separator: "、"))。")
        }
    }
}

/// A round in `--json`.
struct ReviewRoundView: Encodable {
    struct Criterion: Encodable {
        var name: String
        var weight: Double
    }
    var name: String
    var criteria: [Criterion]
    var reviewersPerDeed: Int
    var openedAt: Date
    var openedBy: String
    @Nullable var closedAt: Date?
    @Nullable var closedBy: String?
    var closed: Bool

    init(_ round: ReviewRoundRecord) {
        name = round.name
        criteria = round.criteria.map { Criterion(name: $0.name, weight: $0.weight) }
        reviewersPerDeed = round.reviewersPerDeed
        openedAt = round.openedAt
        openedBy = round.openedBy
        closedAt = round.closedAt
        closedBy = round.closedBy
        closed = round.isClosed
    }
}

struct ReviewStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "各评审专家的进度：分配、已交回、未交回。 Who has returned what.")

    @OptionGroup var gateway: GatewayOptions

    @Option(help: "评审轮次（默认为进行中的，或最近一轮）。 The round.")
    var round: String?

    @Flag(help: "输出 JSON。")
    var json = false

    struct View: Encodable {
        struct Reviewer: Encodable {
            var name: String
            var address: String
            @Nullable var unit: String?
            var assigned: [String]
            var returned: [String]
            var missing: [String]
            @Nullable var sheetSentAt: Date?
            @Nullable var lastReturnedAt: Date?
            @Nullable var lastReturnRefused: Bool?
        }
        var round: ReviewRoundView
        var shortlisted: Int
        var reviewers: [Reviewer]
    }

    func run() throws {
        let desk = try gateway.openReviewDesk()
        let round = try desk.round(named: self.round)
        let progress = try desk.status(round)
        let shortlisted = try desk.state(round).shortlist.count
        if json {
            print(try JSONOutput.string(View(round: ReviewRoundView(round), shortlisted: shortlisted, reviewers: progress.map {
                View.Reviewer(name: $0.name, address: $0.address, unit: $0.unit, assigned: $0.assigned.map(\.trackingNumber),
                              returned: $0.returned.map(\.trackingNumber), missing: $0.missing.map(\.trackingNumber),
                              sheetSentAt: $0.sheetSentAt, lastReturnedAt: $0.lastReturnedAt, lastReturnRefused: $0.lastReturnRefused)
            })))
            return
        }
        print(ReviewFormatting.roundLine(round))
        var table = TextTable(["评审专家", "单位", "分配", "已交回", "未交回", "评分表发出", "最近交回", "未交回的推报"], fixed: [2, 3, 4, 5, 6])
        for reviewer in progress {
            let returned = reviewer.lastReturnedAt.map { StaffFormatting.date($0) + (reviewer.lastReturnRefused == true ? "（未记录）" : "") }
            table.add([reviewer.name, reviewer.unit.map(QueueCommand.shortUnitName) ?? "（不在配置中）", "\(reviewer.assigned.count)",
                       "\(reviewer.returned.count)", "\(reviewer.missing.count)", reviewer.sheetSentAt.map(StaffFormatting.date) ?? "—",
                       returned ?? "—", reviewer.missing.isEmpty ? "—" : reviewer.missing.map(\.trackingNumber).joined(separator: " ")])
        }
        print(table.render(), terminator: "")
        let missing = progress.reduce(0) { $0 + $1.missing.count }, assigned = progress.reduce(0) { $0 + $1.assigned.count }
        print("名单 \(shortlisted) 件；分配 \(assigned) 项，已交回 \(assigned - missing) 项，未交回 \(missing) 项。")
    }
}

struct ReviewRankingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ranking",
        abstract: "排名：加权平均分、标准化得分、标准差、评审数与标记。 The ranking.",
        discussion: """
        标准化得分：每位专家的加权分先换算为该专家自己的 z 分（减去其平均分，除以其标准差），再按推报取平均，
        评分偏严或偏宽的专家因此不左右排名。标记：缺评（尚有专家未交回）、分歧（加权分的标准差 ≥ 配置 disagreement_spread，默认 2）。
        Standardised score: each reviewer's weighted scores as z-scores over that reviewer's own deeds, averaged per deed.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, xlsx }

    @OptionGroup var gateway: GatewayOptions

    @Option(help: "评审轮次（默认为进行中的，或最近一轮）。 The round.")
    var round: String?

    @Flag(help: "输出 JSON。")
    var json = false

    @Option(help: "text 或 xlsx。")
    var format: Format = .text

    @Option(name: .shortAndLong, help: "xlsx 输出文件（默认 评审排名.xlsx）。 Output file.")
    var output: String?

    func validate() throws {
        if json && format == .xlsx { throw ValidationError("--json 与 --format xlsx 只能选一个 (choose --json or --format xlsx)") }
        if output != nil && format != .xlsx { throw ValidationError("-o 只用于 --format xlsx (-o goes with --format xlsx)") }
    }

    struct View: Encodable {
        struct Score: Encodable {
            var reviewer: String
            var reviewerName: String
            @Nullable var weighted: Double?
            @Nullable var standardized: Double?
            var values: [Value]
            @Nullable var comment: String?
            var versions: Int
        }
        struct Value: Encodable {
            var criterion: String
            var value: Double
        }
        struct Deed: Encodable {
            @Nullable var rank: Int?
            var trackingNumber: String
            @Nullable var unit: String?
            @Nullable var nominee: String?
            @Nullable var title: String?
            @Nullable var standardized: Double?
            @Nullable var weightedMean: Double?
            @Nullable var spread: Double?
            var reviews: Int
            var assigned: Int
            var missingReviews: Bool
            var disagreement: Bool
            var scores: [Score]
        }
        var round: ReviewRoundView
        var disagreementSpread: Double
        var deeds: [Deed]
    }

    func run() throws {
        let desk = try gateway.openReviewDesk()
        let ranking = try desk.ranking(try desk.round(named: round))
        if json {
            print(try JSONOutput.string(view(ranking, desk: desk)))
        } else if format == .xlsx {
            let path = output ?? "评审排名.xlsx"
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw CommandFailure("-o 须是文件，\(path) 是文件夹 (-o must name a file, e.g. \(path)/评审排名.xlsx)")
            }
            try ReviewRankingExport(desk: desk).xlsx(ranking).write(to: URL(fileURLWithPath: path))
            print("已导出 \(ranking.rows.count) 件的排名 → \(path)")
        } else {
            print(table(ranking), terminator: "")
        }
    }

    static func flags(_ row: ReviewRanking.Row) -> [String] {
        (row.missingReviews ? ["缺评 \(row.assigned - row.reviews)"] : []) + (row.disagreement ? ["分歧"] : [])
    }

    func table(_ ranking: ReviewDesk.Ranking) -> String {
        var text = ReviewFormatting.roundLine(ranking.round) + "\n"
        var table = TextTable(["名次", "受理编号", "单位", "推报对象", "标准化得分", "加权平均分", "标准差", "已评/应评", "标记", "标题"],
                              fixed: [0, 1, 4, 5, 6, 7, 8])
        for (row, deed) in ranking.rows {
            table.add([row.rank.map(String.init) ?? "—", deed.trackingNumber, deed.unit.map(QueueCommand.shortUnitName) ?? "—",
                       deed.nominee ?? "—", ReviewFormatting.fixed(row.standardized), ReviewFormatting.fixed(row.weightedMean),
                       ReviewFormatting.fixed(row.spread), "\(row.reviews)/\(row.assigned)",
                       Self.flags(row).joined(separator: "，").isEmpty ? "—" : Self.flags(row).joined(separator: "，"), deed.title ?? "—"])
        }
        text += table.render()
        text += "按标准化得分排序（各专家的加权分换算为其本人的 z 分后取平均）；分歧：标准差 ≥ \(ReviewDesk.number(ranking.disagreementSpread))。\n"
        return text
    }

    func view(_ ranking: ReviewDesk.Ranking, desk: ReviewDesk) -> View {
        View(round: ReviewRoundView(ranking.round), disagreementSpread: ranking.disagreementSpread, deeds: ranking.rows.map { row, deed in
            let reviews = ranking.reviews[deed.id] ?? [:]
            let counted = Dictionary(uniqueKeysWithValues: row.scores.map { ($0.reviewer, $0) })
            let scores = reviews.keys.sorted().map { address -> View.Score in
                let review = reviews[address]!
                return View.Score(reviewer: address, reviewerName: desk.settings.reviewer(address)?.name ?? address,
                                  weighted: ReviewFormatting.rounded(counted[address]?.weighted),
                                  standardized: ReviewFormatting.rounded(counted[address]?.standardized),
                                  values: ranking.round.criteria.compactMap { criterion in
                                      review.values[criterion.name].map { View.Value(criterion: criterion.name, value: $0) }
                                  },
                                  comment: review.comment, versions: review.versions)
            }
            return View.Deed(rank: row.rank, trackingNumber: deed.trackingNumber, unit: deed.unit, nominee: deed.nominee, title: deed.title,
                             standardized: ReviewFormatting.rounded(row.standardized), weightedMean: ReviewFormatting.rounded(row.weightedMean),
                             spread: ReviewFormatting.rounded(row.spread), reviews: row.reviews, assigned: row.assigned,
                             missingReviews: row.missingReviews, disagreement: row.disagreement, scores: scores)
        })
    }
}

/// The ranking as a workbook for the committee's meeting, through the same `WorkbookWriter` as
/// the exported list: one row per deed, best first.
struct ReviewRankingExport {
    let desk: ReviewDesk

    static let columns: [WorkbookWriter.Column] = [
        .init(header: "名次"), .init(header: "受理编号"), .init(header: "单位"), .init(header: "推报对象"), .init(header: "标题"),
        .init(header: "标准化得分"), .init(header: "加权平均分"), .init(header: "标准差"), .init(header: "已评"), .init(header: "应评"),
        .init(header: "标记"), .init(header: "各专家加权分", wraps: true),
    ]
    static let sheetName = "评审排名"

    func xlsx(_ ranking: ReviewDesk.Ranking) throws -> Data {
        func number(_ value: Double?, digits: Int = 3) -> WorkbookWriter.Cell {
            ReviewFormatting.rounded(value, digits: digits).map(WorkbookWriter.Cell.number) ?? .empty
        }
        func text(_ value: String?) -> WorkbookWriter.Cell {
            guard let value, !value.isEmpty else { return .empty }
            return .text(value)
        }
        let rows: [[WorkbookWriter.Cell]] = ranking.rows.map { row, deed in
            // In the configuration's order of reviewers, as the committee knows them.
            let order = desk.settings.reviewers.map(\.address)
            let scores = row.scores.sorted { (order.firstIndex(of: $0.reviewer) ?? order.count, $0.reviewer) < (order.firstIndex(of: $1.reviewer) ?? order.count, $1.reviewer) }
                .map { "\(desk.settings.reviewer($0.reviewer)?.name ?? $0.reviewer) \(ReviewFormatting.fixed($0.weighted))" }
            return [row.rank.map { .number(Double($0)) } ?? .empty, .text(deed.trackingNumber), text(deed.unit), text(deed.nominee),
                    text(deed.title), number(row.standardized), number(row.weightedMean), number(row.spread),
                    .number(Double(row.reviews)), .number(Double(row.assigned)),
                    text(ReviewRankingCommand.flags(row).joined(separator: "，")), text(scores.joined(separator: "\n"))]
        }
        return try WorkbookWriter(sheetName: Self.sheetName, columns: Self.columns, rows: rows, timeZone: StaffFormatting.clock.zone).data()
    }
}

struct ReviewCloseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close", abstract: "结束评审轮次：评分与分配冻结。 Close the round: scores and assignments are frozen.")

    @OptionGroup var gateway: GatewayOptions

    @Option(help: "操作人。 Who acts.")
    var by: String?

    func run() throws {
        let desk = try gateway.openReviewDesk()
        let round = try desk.close(actor: StaffFormatting.actor(by), now: StaffFormatting.now())
        let missing = try desk.status(round).reduce(0) { $0 + $1.missing.count }
        print("评审轮次「\(round.name)」已结束，评分与分配已冻结。" + (missing > 0 ? "（仍有 \(missing) 项评分未交回。）" : ""))
        print("排名：tuibao review ranking --round \(ReviewFormatting.quoted(round.name))")
        print("评选年度最佳事迹并发布到专栏：tuibao review choose --top N --round \(ReviewFormatting.quoted(round.name))")
    }
}

struct ReviewChooseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "choose",
        abstract: "从已结束的评审轮次评选年度最佳事迹，并发布到网站专栏（标明“年度最佳事迹”）。 Choose the year's best.",
        discussion: """
        取排名前 N 件（--top N），或写明受理编号（须在名单上），或两者兼用。所选事迹记入评审轮次、发布到网站专栏，
        下次 tuibao publish build 时专栏首页列出“年度最佳事迹”，事迹页也加以标明。每项操作都记入日志。
        """)

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "受理编号，如 YS2018-0005。 Deeds to choose.")
    var ids: [String] = []

    @Option(help: "取排名前 N 件。 The top N of the ranking.")
    var top: Int?

    @Option(help: "评审轮次（默认为最近一轮）。 The round.")
    var round: String?

    @Option(help: "操作人。 Who acts.")
    var by: String?

    func run() throws {
        let desk = try gateway.openReviewDesk()
        let chosen = try desk.choose(ids, top: top, round: round, actor: StaffFormatting.actor(by), now: StaffFormatting.now())
        for choice in chosen {
            print("\(ReviewFormatting.deedLabel(choice.deed))\(choice.rank.map { "（排名第 \($0)）" } ?? "")"
                  + (choice.isNew ? " 评为年度最佳事迹，已列入网站专栏。" : " 此前已评选。"))
        }
        print("运行 tuibao publish build --to 目录 更新网站专栏。")
    }
}
