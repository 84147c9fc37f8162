import Gateway
import Foundation
import Materials
import MIME

/// The staff-facing summary of `tuibao check`, labelled in Chinese.
enum CheckSummary {
    static func render(_ parsed: ParsedMessage, verdict: Verdict) -> String {
        var text = render(parsed)
        text += "处理:     \(verdict.action.label)\(verdict.ignoreReason.map { "（\($0.label)）" } ?? "")\n"
        for (index, filed) in verdict.nominations.enumerated() {
            let nomination = filed.nomination
            let who = [nomination.form?.category?.chineseName, nomination.form?.nominee].compactMap { $0 }.joined(separator: " ")
            text += "推报 \(index + 1): \(who.isEmpty ? "（无推报表）" : who) → \(filed.action.label)\n"
            if let title = nomination.form?.deedTitle { text += "  事迹:   \(title)\n" }
            text += "  材料:   \(nomination.materialNames.isEmpty ? "（无）" : nomination.materialNames.joined(separator: "、"))\n"
            for problem in filed.problems { text += "  [\(problem.severity.label)] \(problem.code.rawValue): \(problem.message)\n" }
        }
        if !verdict.unassigned.isEmpty { text += "未能归入推报的材料: \(verdict.unassigned.joined(separator: "、"))\n" }
        return text
    }

    static func render(_ parsed: ParsedMessage) -> String {
        let headers = parsed.headers
        var lines: [String] = []
        lines.append("主题:     \(headers.subject ?? "（无）")")
        lines.append("发件人:   \(headers.from.first.map(describe) ?? "（无）")")
        if !headers.to.isEmpty { lines.append("收件人:   \(headers.to.map(describe).joined(separator: ", "))") }
        lines.append("日期:     \(headers.date?.iso8601 ?? "（无）")")
        lines.append("Message-ID: \(headers.messageId ?? "（无）")")
        if let inReplyTo = headers.inReplyTo { lines.append("回复邮件: \(inReplyTo)") }
        if let auto = headers.autoSubmitted { lines.append("自动邮件: Auto-Submitted: \(auto)") }
        lines.append("附件:     \(parsed.attachments.count) 个")
        for (index, attachment) in parsed.attachments.enumerated() {
            lines.append("  \(index + 1). \(attachment.filename ?? "（无文件名）")")
            lines.append("     \(attachment.contentType), \(byteCount(attachment.size)), SHA-256 \(attachment.sha256)")
        }
        lines.append("正文:")
        let body = parsed.bodyText.replacingOccurrences(of: "\r\n", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "\n", omittingEmptySubsequences: false)
        for line in body.prefix(20) { lines.append("  \(line)") }
        if body.count > 20 { lines.append("  …（共 \(body.count) 行）") }
        for warning in parsed.warnings { lines.append("注意: \(warning)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func describe(_ mailbox: Mailbox) -> String {
        mailbox.name.map { "\($0) <\(mailbox.address)>" } ?? mailbox.address
    }

    static func byteCount(_ size: Int64) -> String {
        if size < 1024 { return "\(size) 字节" }
        if size < 1024 * 1024 { return String(format: "%.1f KB (%lld 字节)", Double(size) / 1024, size) }
        return String(format: "%.2f MB (%lld 字节)", Double(size) / 1_048_576, size)
    }
}
