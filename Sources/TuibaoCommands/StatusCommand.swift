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

    /// `status --json`. Times are `Date`s (ISO 8601 with offset in JSON); the text view
    /// formats them in the campaign's zone.
    struct Status: Encodable {
        @Nullable var mailbox: String?
        @Nullable var lastPollAt: Date?
        @Nullable var lastError: String?
        @Nullable var lastErrorAt: Date?
        var submissions: Int
        var failedMessages: Int
        var outbox: Outbox
        @Nullable var idle: Idle?
    }

    /// Replies by status: waiting, sent, held by the throttle, given up on.
    struct Outbox: Encodable {
        var queued: Int
        var sent: Int
        var suppressed: Int
        var failed: Int
    }

    /// The IMAP IDLE connection of the running (or last) `tuibao serve`.
    struct Idle: Encodable {
        /// connecting, idling, reconnecting, unsupported, disabled, stopped
        var state: String
        @Nullable var serverOffersIdle: Bool?
        @Nullable var idlingSince: Date?
        @Nullable var lastExistsAt: Date?
        @Nullable var lastExists: Int?
        var reconnects: Int
        @Nullable var serviceStartedAt: Date?
        @Nullable var lastError: String?
        @Nullable var lastErrorAt: Date?
        var updatedAt: Date
    }

    func run() throws {
        let (configuration, store) = try gateway.openStore()
        let checkpoint = try configuration.imap.map { try store.checkpoint(for: $0.mailbox) }
        let idle = try configuration.imap.flatMap { try store.idleState(for: $0.mailbox) }.map { idle in
            Idle(state: idle.state.rawValue, serverOffersIdle: idle.serverOffersIdle, idlingSince: idle.idlingSince,
                 lastExistsAt: idle.lastExistsAt, lastExists: idle.lastExists, reconnects: idle.reconnects,
                 serviceStartedAt: idle.serviceStartedAt, lastError: idle.lastError, lastErrorAt: idle.lastErrorAt,
                 updatedAt: idle.updatedAt)
        }
        let outbox = Outbox(queued: try store.replyCount(status: .queued), sent: try store.replyCount(status: .sent),
                            suppressed: try store.replyCount(status: .suppressed), failed: try store.replyCount(status: .failed))
        let status = Status(mailbox: configuration.imap.map { "\($0.username)@\($0.host)/\($0.mailbox)" },
                            lastPollAt: checkpoint?.lastPollAt, lastError: checkpoint?.lastError, lastErrorAt: checkpoint?.lastErrorAt,
                            submissions: try store.submissionCount(), failedMessages: try store.messageCount(status: .failed),
                            outbox: outbox, idle: idle)
        if json { print(try JSONOutput.string(status)); return }
        let time = { (date: Date?) in date.map(StaffFormatting.date) }
        print("""
        邮箱:       \(status.mailbox ?? "（未配置 [imap]）")
        最近收取:   \(time(status.lastPollAt) ?? "（尚未收取）")
        最近错误:   \(status.lastError.map { "\($0)（\(time(status.lastErrorAt) ?? "")）" } ?? "无")
        推报:       \(status.submissions) 件，解析失败的邮件 \(status.failedMessages) 封
        回复:       待发 \(outbox.queued) 封，已发 \(outbox.sent) 封，暂缓 \(outbox.suppressed) 封，发送失败 \(outbox.failed) 封
        IDLE:       \(configuration.imap == nil ? "（未配置 [imap]）" : status.idle.map(Self.describe) ?? "（服务尚未运行 (serve has not run)）")
        时间均为\(StaffFormatting.clock.label)。
        """)
    }

    /// One line in Chinese with the English gist: the state, since when, the last EXISTS, reconnects.
    static func describe(_ idle: Idle) -> String {
        let time = { (date: Date?) in date.map(StaffFormatting.date) }
        var parts: [String]
        switch idle.state {
        case "idling": parts = ["等待新邮件中 (idling) 自 \(time(idle.idlingSince) ?? "?")"]
        case "connecting": parts = ["正在连接 (connecting)"]
        case "reconnecting": parts = ["连接中断，等待重连 (reconnecting)"]
        case "unsupported": parts = ["服务器不支持 IDLE，定时收取 (server offers no IDLE: polling)"]
        case "disabled": parts = ["配置已关闭 IDLE，定时收取 (idle = false: polling)"]
        default: parts = ["服务已停止 (stopped)"]
        }
        parts.append("最近新邮件通知 (last EXISTS) " + (time(idle.lastExistsAt).map { "\($0)，共 \(idle.lastExists ?? 0) 封" } ?? "无"))
        parts.append("重连 \(idle.reconnects) 次 (reconnects since \(time(idle.serviceStartedAt) ?? "?"))")
        if let error = idle.lastError { parts.append("最近中断 (last lost) \(time(idle.lastErrorAt) ?? "")：\(error)") }
        parts.append("记录于 (as of) \(StaffFormatting.date(idle.updatedAt))")
        return parts.joined(separator: "；")
    }
}
