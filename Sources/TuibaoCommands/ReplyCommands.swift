import ArgumentParser
import Foundation
import Gateway
import MIME
import Store

/// `tuibao reply preview ID`: the reply as the unit will receive it.
struct ReplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply", abstract: "查看回复邮件。 Look at replies.",
        subcommands: [ReplyPreviewCommand.self])
}

struct ReplyPreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "显示回复邮件（发给单位的样子）。 Show a reply as the unit receives it.",
        discussion: """
        ID 是回复编号（见 tuibao outbox）或受理编号（显示该推报最近的一封回复）。
        ID is a reply number (see tuibao outbox) or a tracking number (its latest reply).
        """)

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "回复编号或受理编号，如 12 或 YS2018-0042。")
    var id: String

    @Flag(help: "输出发送时的原始字节（RFC 5322，CRLF）。 The exact bytes sent.")
    var raw = false

    func run() throws {
        let (configuration, store) = try gateway.openStore()
        let reply = try findReply(in: store)
        let mail = try OutgoingReply.mail(for: reply, configuration: configuration, store: store)
        if raw {
            FileHandle.standardOutput.write(MailComposer.compose(mail))
            return
        }
        let state = reply.status == .queued ? "待发" : reply.status == .sent ? "已发送" : reply.status == .failed ? "发送失败" : "未发送"
        var lines = ["回复 \(reply.id!)（\(reply.kind.rawValue)，\(state)\(reply.lastError.map { "：\($0)" } ?? "")）", ""]
        lines.append("发件人: \(mail.from.name.map { "\($0) " } ?? "")<\(mail.from.address)>")
        lines.append("收件人: \(mail.to.address)")
        lines.append("主题:   \(mail.subject)")
        lines.append("日期:   \(StaffFormatting.date(mail.date))")
        lines.append("Message-ID: <\(mail.messageId)>")
        if let inReplyTo = mail.inReplyTo { lines.append("In-Reply-To: <\(inReplyTo)>") }
        for header in mail.headers { lines.append("\(header.name): \(header.value)") }
        for attachment in mail.attachments {
            lines.append("附件:   \(attachment.filename)（\(StaffFormatting.size(Int64(attachment.data.count)))）")
        }
        lines.append(String(repeating: "─", count: 60))
        print(lines.joined(separator: "\n"))
        print(mail.body, terminator: mail.body.hasSuffix("\n") ? "" : "\n")
    }

    private func findReply(in store: TuibaoStore) throws -> ReplyRecord {
        let replies = try store.replies()
        if let number = Int64(id) {
            guard let reply = replies.first(where: { $0.id == number }) else { throw CommandFailure("没有编号为 \(id) 的回复") }
            return reply
        }
        let submission = try requireSubmission(id, in: store)
        guard let reply = replies.last(where: { $0.submissionId == submission.id }) else {
            throw CommandFailure("推报 \(submission.trackingNumber) 还没有回复")
        }
        return reply
    }
}
