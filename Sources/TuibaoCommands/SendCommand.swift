import ArgumentParser
import Foundation
import Gateway

/// `tuibao send --once`: send the replies that are due.
struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "发送待发队列中到期的回复（一次）。 Send the replies that are due, once.",
        discussion: """
        密码来自 systemd 凭据 smtp-password、环境变量 TUIBAO_SMTP_PASSWORD 或配置中的 password_file。
        4xx 与网络错误按指数退避稍后重试；5xx 标记为失败（tuibao outbox --failed，tuibao resend）。
        """)

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "只发送一次（默认即如此；持续运行请用 tuibao serve）。 Send once and exit (the default; kept for scripts).")
    var once = false

    @Flag(help: "输出 JSON。")
    var json = false

    func run() throws {
        let (configuration, store) = try gateway.openStore()
        guard let smtp = configuration.smtp else { throw CommandFailure("配置中没有 [smtp] 部分 (no [smtp] section)") }
        let password = try gateway.smtpPassword(smtp)
        let report: DispatchReport
        do {
            report = try ReplyDispatcher(store: store, configuration: configuration, password: password)
                .sendDue(now: StaffFormatting.now())
        } catch {
            throw CommandFailure("发送失败 (send failed): \(error)")
        }
        if json { print(try JSONOutput.line(report)); return }
        print("已发送 \(report.sent) 封，稍后重试 \(report.deferred) 封，失败 \(report.failed) 封。")
    }
}
