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
        var idle: Idle?
    }

    /// The IMAP IDLE connection of the running (or last) `tuibao serve`.
    struct Idle: Encodable {
        /// connecting, idling, reconnecting, unsupported, disabled, stopped
        var state: String
        var serverOffersIdle: Bool?
        var idlingSince: String?
        var lastExistsAt: String?
        var lastExists: Int?
        var reconnects: Int
        var serviceStartedAt: String?
        var lastError: String?
        var lastErrorAt: String?
        var updatedAt: String
    }

    func run() throws {
        let (configuration, store) = try gateway.openStore()
        let checkpoint = try configuration.imap.map { try store.checkpoint(for: $0.mailbox) }
        let idle = try configuration.imap.flatMap { try store.idleState(for: $0.mailbox) }.map { idle in
            Idle(state: idle.state.rawValue, serverOffersIdle: idle.serverOffersIdle,
                 idlingSince: idle.idlingSince.map(StaffFormatting.date), lastExistsAt: idle.lastExistsAt.map(StaffFormatting.date),
                 lastExists: idle.lastExists, reconnects: idle.reconnects, serviceStartedAt: idle.serviceStartedAt.map(StaffFormatting.date),
                 lastError: idle.lastError, lastErrorAt: idle.lastErrorAt.map(StaffFormatting.date),
                 updatedAt: StaffFormatting.date(idle.updatedAt))
        }
        let status = Status(mailbox: configuration.imap.map { "\($0.username)@\($0.host)/\($0.mailbox)" },
                            lastPollAt: checkpoint?.lastPollAt.map(StaffFormatting.date),
                            lastError: checkpoint?.lastError, lastErrorAt: checkpoint?.lastErrorAt.map(StaffFormatting.date),
                            submissions: try store.submissionCount(), failedMessages: try store.messageCount(status: .failed),
                            outboxQueued: try store.replyCount(status: .queued), outboxFailed: try store.replyCount(status: .failed),
                            idle: idle)
        if json { print(try JSONOutput.string(status)); return }
        print("""
        邮箱:       \(status.mailbox ?? "（未配置 [imap]）")
        最近收取:   \(status.lastPollAt ?? "（尚未收取）")
        最近错误:   \(status.lastError.map { "\($0)（\(status.lastErrorAt ?? "")）" } ?? "无")
        推报:       \(status.submissions) 件，解析失败的邮件 \(status.failedMessages) 封
        待发回复:   \(status.outboxQueued) 封，发送失败 \(status.outboxFailed) 封
        IDLE:       \(configuration.imap == nil ? "（未配置 [imap]）" : status.idle.map(Self.describe) ?? "（服务尚未运行 (serve has not run)）")
        """)
    }

    /// One line in Chinese with the English gist: the state, since when, the last EXISTS, reconnects.
    static func describe(_ idle: Idle) -> String {
        var parts: [String]
        switch idle.state {
        case "idling": parts = ["等待新邮件中 (idling) 自 \(idle.idlingSince ?? "?")"]
        case "connecting": parts = ["正在连接 (connecting)"]
        case "reconnecting": parts = ["连接中断，等待重连 (reconnecting)"]
        case "unsupported": parts = ["服务器不支持 IDLE，定时收取 (server offers no IDLE: polling)"]
        case "disabled": parts = ["配置已关闭 IDLE，定时收取 (idle = false: polling)"]
        default: parts = ["服务已停止 (stopped)"]
        }
        parts.append("最近新邮件通知 (last EXISTS) " + (idle.lastExistsAt.map { "\($0)，共 \(idle.lastExists ?? 0) 封" } ?? "无"))
        parts.append("重连 \(idle.reconnects) 次 (reconnects since \(idle.serviceStartedAt ?? "?"))")
        if let error = idle.lastError { parts.append("最近中断 (last lost) \(idle.lastErrorAt ?? "")：\(error)") }
        parts.append("记录于 (as of) \(idle.updatedAt)")
        return parts.joined(separator: "；")
    }
}
