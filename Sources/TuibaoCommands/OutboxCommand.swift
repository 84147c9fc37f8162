import ArgumentParser
import Foundation
import Store

/// `tuibao outbox`: replies waiting to be sent, sent, or failed.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "查看待发（及已发、失败）的回复。 List replies in the outbox.")

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "只看发送失败的。 Failed replies only.")
    var failed = false

    @Flag(help: "只看因频率限制或内容重复而未发送的。 Suppressed replies only (rate limit, identical).")
    var suppressed = false

    @Flag(help: "包括已发送的。 Include sent replies.")
    var all = false

    @Flag(help: "输出 JSON。")
    var json = false

    func run() throws {
        let (_, store) = try gateway.openStore()
        let replies = try store.replies(status: failed ? .failed : suppressed ? .suppressed : (all ? nil : .queued))
        if json { print(try JSONOutput.string(replies.map(ReplyJSON.init))); return }
        guard !replies.isEmpty else {
            print(failed ? "没有发送失败的回复。" : suppressed ? "没有暂缓发送的回复。" : all ? "还没有任何回复。" : "待发队列为空。")
            return
        }
        let showReason = failed || suppressed
        var table = TextTable(["回复", "状态", "收件人", StaffFormatting.timeHeader("生成时间"), "主题"] + (showReason ? ["原因"] : []),
                              fixed: [0, 1, 3])
        for reply in replies {
            table.add(["\(reply.id!)", reply.status.label, reply.recipient, StaffFormatting.date(reply.createdAt), reply.subject]
                      + (showReason ? [reply.lastError ?? ""] : []))
        }
        print(table.render() + "共 \(replies.count) 封。", terminator: "\n")
    }
}
