import ArgumentParser
import Foundation
import Gateway
import MailTransport

/// `tuibao poll --once`: one pass over the campaign mailbox.
struct PollCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll",
        abstract: "收取邮箱中的新邮件并受理（一次）。 Fetch and take in new mail from the IMAP mailbox, once.",
        discussion: """
        密码来自 systemd 凭据 imap-password、环境变量 TUIBAO_IMAP_PASSWORD 或配置中的 password_file，
        从不写在配置文件里。 The password comes from the systemd credential imap-password,
        $TUIBAO_IMAP_PASSWORD, or the configured password_file — never from the configuration itself.
        """)

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "只收取一次（默认即如此；持续运行请用 tuibao serve）。 Poll once and exit (the default; kept for scripts).")
    var once = false

    @Flag(help: "输出 JSON。")
    var json = false

    func run() throws {
        let pipeline = try gateway.openPipeline()
        guard let imap = pipeline.configuration.imap else { throw CommandFailure("配置中没有 [imap] 部分 (no [imap] section)") }
        let password = try gateway.imapPassword(imap)
        let report: PollReport
        do {
            report = try MailboxPoller(pipeline: pipeline, password: password).pollOnce()
        } catch {
            throw CommandFailure("收取失败 (poll failed): \(error)")
        }
        if json { print(try JSONOutput.line(report)); return }
        print("新邮件 \(report.found) 封：受理 \(report.filed)，不处理 \(report.ignored)，重复 \(report.repeated)，" +
              "解析失败 \(report.failed)，移入 \(imap.failedMailbox) \(report.movedToFailed)。")
    }
}
