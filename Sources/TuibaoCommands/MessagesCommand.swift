import ArgumentParser
import Foundation
import Intake
import Store

/// `tuibao messages`: every mail received, with its Message-ID and what became of it.
struct MessagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages",
        abstract: "收到的邮件：Message-ID、处理结果、对应的受理编号。 Messages received and what became of each.")

    @OptionGroup var gateway: GatewayOptions

    @Option(help: "只看此日期以来 (YYYY-MM-DD)。 Since this day.")
    var since: String?

    @Option(help: "最多列出最近的 N 封（默认 50，0 为全部；--json 默认全部）。 At most the latest N.")
    var limit: Int?

    @Flag(help: "输出 JSON。")
    var json = false

    /// One message of `messages --json`: the mail as filed plus the submissions it touched.
    struct Message: Encodable {
        var message: MessageJSON
        var trackingNumbers: [String]
    }

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit 不能为负数 (must not be negative): \(limit)") }
    }

    func run() throws {
        let (_, store) = try gateway.openStore()
        let since = try since.map(StaffFormatting.requireDay)
        let shown = limit ?? (json ? 0 : 50)
        let outcomes = try store.messageOutcomes(since: since, limit: shown == 0 ? nil : shown)
        if json {
            print(try JSONOutput.string(outcomes.map { Message(message: MessageJSON($0.message), trackingNumbers: $0.trackingNumbers) }))
            return
        }
        guard !outcomes.isEmpty else { print("没有收到的邮件。 No messages."); return }
        var table = TextTable(["邮件编号", StaffFormatting.timeHeader("收到时间"), "发件人", "结果", "受理编号", "Message-ID", "主题"],
                              fixed: [0, 1, 4])
        for outcome in outcomes {
            let message = outcome.message
            table.add(["\(message.id ?? 0)", StaffFormatting.date(message.receivedAt), message.fromAddress ?? "—",
                       Self.result(message), outcome.trackingNumbers.joined(separator: " "), message.messageId ?? "—", message.subject ?? ""])
        }
        print(table.render() + "共 \(outcomes.count) 封。", terminator: "\n")
    }

    /// What became of the mail, in a word or two.
    static func result(_ message: MessageRecord) -> String {
        switch message.status {
        case .received: return "待处理"
        case .failed: return "解析失败"
        case .ignored: return "不处理" + (message.reason.map { "（\($0)）" } ?? "")
        case .filed: return message.action?.label ?? "已归档"
        }
    }
}
