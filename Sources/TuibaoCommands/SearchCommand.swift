import ArgumentParser
import Foundation
import Gateway
import Store

/// `tuibao search WORDS…`: submissions by nominee, title, unit, sender or the words of the essay.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "按推报对象、标题、单位、发件人或征文内容查找推报。 Find submissions by any of their words.",
        discussion: "多个词须同时出现。三个字及以上的词用全文索引，并显示征文中匹配的段落；两个字的词（如人名）逐条比对。")

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "要找的词（如 韩思远、超导、物理所）。 Words, all of which must occur.")
    var words: [String]

    @Option(help: "最多列出 N 件（默认 50，0 为全部）。 At most N (default 50; 0: all).")
    var limit: Int?

    @Flag(help: "输出 JSON。")
    var json = false

    /// One hit of `search --json`: the queue row and where the words were found.
    struct Hit: Encodable {
        var submission: SubmissionRowJSON
        @Nullable var snippet: String?
    }

    func validate() throws {
        if words.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { throw ValidationError("请给出要找的词 (give words to find)") }
        if let limit, limit < 0 { throw ValidationError("--limit 不能为负数 (must not be negative): \(limit)") }
    }

    func run() throws {
        let (_, store) = try gateway.openStore()
        let hits = try Self.hits(words, store: store, limit: (limit ?? 50) == 0 ? nil : (limit ?? 50))
        if json { print(try JSONOutput.string(hits.map { Hit(submission: SubmissionRowJSON($0.row), snippet: $0.snippet) })); return }
        guard !hits.isEmpty else { print("没有找到含“\(words.joined(separator: " "))”的推报。 Nothing found."); return }
        var table = TextTable(["受理编号", "单位", "推报对象", "状态", "标题", "匹配"], fixed: [0, 3])
        for hit in hits {
            let row = hit.row
            table.add([row.trackingNumber, row.unitName.map(QueueCommand.shortUnitName) ?? row.senderAddress, row.nominee ?? "—",
                       row.status.label, row.title ?? "", hit.snippet.map(Self.oneLine) ?? ""])
        }
        print(table.render() + "找到 \(hits.count) 件。", terminator: "\n")
    }

    /// Search hits with their queue rows, best first; the index brought up to date first.
    static func hits(_ words: [String], store: TuibaoStore, limit: Int?) throws -> [(row: SubmissionSummary, snippet: String?)] {
        // Only a store filed before the index needs the write (once); a search is otherwise a read.
        if try !store.read(SearchIndex.isCurrent) { try store.write { try SearchIndex.rebuildIfNeeded($0) } }
        let found = try store.search(words, limit: limit)
        let rows = Dictionary(try store.submissions(QueueFilter(ids: found.map(\.submissionId))).map { ($0.id, $0) },
                              uniquingKeysWith: { first, _ in first })
        return found.compactMap { hit in rows[hit.submissionId].map { ($0, hit.snippet) } }
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}

/// `tuibao assign ID 姓名`: who looks after a submission (`queue --mine` lists one's own).
struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "指定经办人（记录在案）；--clear 取消。 Give a submission to a staff member.")

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "受理编号。")
    var id: String

    @Argument(help: "经办人（登录名或姓名，与 queue --mine 所用的登录名一致时可用 --mine 查看）。 Who looks after it.")
    var assignee: String?

    @Flag(help: "取消指定。 Assign to nobody.")
    var clear = false

    @Option(help: "操作人（默认为当前登录用户）。 Who assigns.")
    var by: String?

    func validate() throws {
        if clear == (assignee != nil) { throw ValidationError("请给出经办人，或用 --clear 取消 (name someone, or --clear)") }
    }

    func run() throws {
        let (_, store) = try gateway.openStore()
        let submission = try requireSubmission(id, in: store)
        let name = assignee?.trimmingCharacters(in: .whitespaces)
        try store.assign(submissionId: submission.id!, to: name, actor: StaffFormatting.actor(by), now: StaffFormatting.now())
        print("\(submission.trackingNumber) 经办人：\(submission.assignee ?? "（无）") → \(name ?? "（无）")")
    }
}
