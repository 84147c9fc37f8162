import ArgumentParser
import Foundation
import Intake
import Store

/// `tuibao show ID`: one submission with everything that happened to it.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "查看一件推报：各版本、材料、问题、邮件、回复、处理记录。 Show one submission.")

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "受理编号或编号 (tracking number, e.g. YS2018-0042).")
    var id: String

    @Flag(help: "输出 JSON。")
    var json = false

    func run() throws {
        let (_, store) = try gateway.openStore()
        let submission = try requireSubmission(id, in: store)
        guard let detail = try store.detail(of: submission.id!) else { throw CommandFailure("找不到推报 \(id)") }
        if json {
            let mergedInto = try submission.mergedIntoId.flatMap { try store.submission(identifiedBy: String($0)) }?.trackingNumber
            print(try JSONOutput.string(SubmissionDetailJSON(detail, mergedInto: mergedInto)))
            return
        }
        print(Self.render(detail), terminator: "")
    }

    static func render(_ detail: SubmissionDetail) -> String {
        let submission = detail.submission
        var lines = [
            "受理编号: \(submission.trackingNumber)",
            "状态:     \(submission.status.label)",
            "单位:     \(submission.unitName ?? "（未知）")",
            "推报对象: \(submission.nominee.map { name in submission.category.map { "\(name)（\($0)）" } ?? name } ?? "（推报表未读到）")",
            "发件人:   \(submission.senderName.map { "\($0) <\(submission.senderAddress)>" } ?? submission.senderAddress)",
            "标题:     \(submission.title ?? "")",
            "首次收到: \(StaffFormatting.date(submission.createdAt))　最后更新: \(StaffFormatting.date(submission.updatedAt))（\(StaffFormatting.clock.label)）",
        ]
        let everyFile = Dictionary(detail.versions.flatMap(\.files).map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first })
        let versionNumbers = Dictionary(detail.versions.map { ($0.version.id!, $0.version.number) }, uniquingKeysWith: { first, _ in first })
        for entry in detail.versions {
            lines.append("")
            lines.append("第 \(entry.version.number) 版（\(StaffFormatting.date(entry.version.createdAt))，邮件 \(entry.message.id!)：\(entry.message.subject ?? "")）")
            for (index, file) in entry.files.enumerated() {
                var notes: [String] = []
                if file.carriedFromVersionId != nil { notes.append("沿用前版") }
                if let replaced = file.replacesFileId.flatMap({ everyFile[$0] }) {
                    let number = versionNumbers[replaced.versionId].map { "第 \($0) 版" } ?? "前版"
                    notes.append("替换\(number)的“\(replaced.filename ?? "（无文件名）")”")
                }
                if let removed = file.removedAt { notes.append("已由 \(file.removedBy ?? "工作人员") 于 \(StaffFormatting.date(removed)) 移除") }
                let role = file.role.map { "[\($0.label)] " } ?? ""
                lines.append("  材料 \(index + 1): \(role)\(file.filename ?? "（无文件名）")  \(file.contentType)  \(StaffFormatting.size(file.size))"
                             + (notes.isEmpty ? "" : "（\(notes.joined(separator: "；"))）"))
            }
            for problem in entry.problems {
                lines.append("  问题: [\(problem.severity.rawValue)] \(problem.code.rawValue) \(problem.message)")
            }
        }
        if !detail.replies.isEmpty {
            lines.append("")
            for reply in detail.replies {
                lines.append("回复 \(reply.id!): \(reply.status.label) → \(reply.recipient)　\(reply.subject)")
            }
        }
        lines.append("")
        lines.append("处理记录:")
        for event in detail.events {
            lines.append("  \(StaffFormatting.date(event.at))  \(event.actor)  \(event.kind.rawValue)  \(event.detail)")
        }
        // Long lines (a problem, a file name) wrap at the terminal's width instead of running on.
        return lines.map { TextTable.wrap($0, to: TerminalWidth.current) }.joined(separator: "\n") + "\n"
    }
}

/// A file name from a mail, made safe: no directories, no control characters, no leading dot,
/// not too long, unique in its folder. A missing name becomes `附件-<hash>`.
enum SafeFilename {
    static func make(_ original: String?, sha256: String, contentType: String, avoiding used: Set<String>) -> String {
        var name = (original ?? "").unicodeScalars.map { scalar -> String in
            if scalar.properties.generalCategory == .control || "/\\:*?\"<>|".unicodeScalars.contains(scalar) { return "_" }
            return String(scalar)
        }.joined()
        name = name.split(separator: "_", omittingEmptySubsequences: false).joined(separator: "_")
        while name.hasPrefix(".") || name.hasPrefix(" ") || name.hasPrefix("_") { name.removeFirst() }
        name = name.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { name = "附件-\(sha256.prefix(8))" }
        if name.utf8.count > 200 {
            let ext = (name as NSString).pathExtension
            var stem = (name as NSString).deletingPathExtension
            while stem.utf8.count > 180 { stem.removeLast() }
            name = ext.isEmpty ? stem : "\(stem).\(ext)"
        }
        var candidate = name
        var counter = 2
        while used.contains(candidate) {
            let ext = (name as NSString).pathExtension
            let stem = (name as NSString).deletingPathExtension
            candidate = ext.isEmpty ? "\(stem) (\(counter))" : "\(stem) (\(counter)).\(ext)"
            counter += 1
        }
        return candidate
    }
}
