import ArgumentParser
import Foundation
import Gateway
import Logging
import MailTransport
import ServiceLifecycle
import Store

/// `tuibao status`: last poll, last error, queue and outbox sizes.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "运行状态：最近收取、最近错误、队列与待发数量。 Service status.")

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "输出 JSON。")
    var json = false

    struct Status: Encodable {
        var mailbox: String?
        var lastPollAt: String?
        var lastError: String?
        var lastErrorAt: String?
        var submissions: Int
        var failedMessages: Int
        var outboxQueued: Int
        var outboxFailed: Int
    }

    func run() throws {
        let (configuration, store) = try gateway.openStore()
        let checkpoint = try configuration.imap.map { try store.checkpoint(for: $0.mailbox) }
        let status = Status(mailbox: configuration.imap.map { "\($0.username)@\($0.host)/\($0.mailbox)" },
                            lastPollAt: checkpoint?.lastPollAt.map(StaffFormatting.date),
                            lastError: checkpoint?.lastError, lastErrorAt: checkpoint?.lastErrorAt.map(StaffFormatting.date),
                            submissions: try store.submissionCount(), failedMessages: try store.messageCount(status: .failed),
                            outboxQueued: try store.replyCount(status: .queued), outboxFailed: try store.replyCount(status: .failed))
        if json { print(try JSONOutput.string(status)); return }
        print("""
        邮箱:       \(status.mailbox ?? "（未配置 [imap]）")
        最近收取:   \(status.lastPollAt ?? "（尚未收取）")
        最近错误:   \(status.lastError.map { "\($0)（\(status.lastErrorAt ?? "")）" } ?? "无")
        推报:       \(status.submissions) 件，解析失败的邮件 \(status.failedMessages) 封
        待发回复:   \(status.outboxQueued) 封，发送失败 \(status.outboxFailed) 封
        """)
    }
}
