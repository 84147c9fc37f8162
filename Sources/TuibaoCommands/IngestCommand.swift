import ArgumentParser
import Foundation
import Gateway
import Intake
import MIME

/// `tuibao ingest FILE.eml…`: takes messages in exactly as the poller will.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "受理邮件文件：存档、解析、登记、决定回复。 Take in message files through the intake pipeline.",
        discussion: """
        每封邮件先原样存档（spool），再解析、分类、关联已有推报、作出决定，并把回复放入待发队列。
        一封邮件出错不影响其他邮件。With --json, one JSON object per message: the shape of
        `check --json` plus status, action, reason, trackingNumber, submissionId, version, problems.
        Exit status 0 when every file was taken in (even if some were ignored or failed to parse).
        """
    )

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "每封邮件输出一个 JSON 对象。 One JSON object per message.")
    var json = false

    @Argument(help: "邮件文件 (.eml).")
    var files: [String]

    func run() throws {
        let pipeline = try gateway.openPipeline()
        var failures = 0
        for file in files {
            do {
                try InputFile.check(file)
                let outcome = try pipeline.ingest(fileAt: URL(fileURLWithPath: file), now: StaffFormatting.now())
                print(json ? try JSONOutput.line(IngestReport(file: file, outcome: outcome)) : IngestSummary.line(file: file, outcome: outcome))
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("无法受理 (cannot take in) \(file): \(ErrorMessage.line(for: error))\n".utf8))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

enum IngestSummary {
    static func line(file: String, outcome: IntakeOutcome) -> String {
        let name = (file as NSString).lastPathComponent
        if outcome.alreadyProcessed {
            return "\(name): 已受理过，未重复处理 (already taken in)\(outcome.trackingNumber.map { " \($0)" } ?? "")"
        }
        if outcome.isReviewMail { return "\(name): 评审邮件 → \(outcome.reason ?? "")" }
        switch outcome.status {
        case .failed:
            return "\(name): 解析失败，已存档待处理 (failed: \(outcome.reason ?? ""))"
        case .ignored:
            let reason = outcome.reason.flatMap(IgnoreReason.init(rawValue:))?.label ?? outcome.reason ?? ""
            return "\(name): 不处理（\(reason)）"
        case .filed, .received:
            guard outcome.nominations.count > 1 else {
                var text = "\(name): \(outcome.trackingNumber ?? "") 第 \(outcome.versionNumber ?? 1) 版 → \(outcome.action?.label ?? "")"
                for problem in outcome.problems { text += "\n    [\(problem.severity.label)] \(problem.code.rawValue): \(problem.message)" }
                return text
            }
            var text = "\(name): \(outcome.nominations.count) 项推报 → \(outcome.action?.label ?? "")"
            for nomination in outcome.nominations {
                text += "\n  \(nomination.trackingNumber) \(nomination.nominee ?? "（推报表未写明）") → \(nomination.action.label)"
                for problem in nomination.problems { text += "\n    [\(problem.severity.label)] \(problem.code.rawValue): \(problem.message)" }
            }
            if !outcome.unassigned.isEmpty { text += "\n  未能归入推报的材料: \(outcome.unassigned.joined(separator: "、"))" }
            return text
        }
    }
}

/// `check --json`'s message object plus what intake did.
struct IngestReport: Encodable {
    var file: String
    var outcome: IntakeOutcome

    enum Keys: String, CodingKey {
        case file, message, sha256, messageRowId, status, action, reason, trackingNumber, trackingNumbers
        case submissionId, submissionIds, version, problems, replyId, alreadyProcessed, submissions, unassigned, reply, resendOf
    }


    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(file, forKey: .file)
        try container.encode(outcome.parsed.map(MessageReport.init), forKey: .message)
        try container.encode(outcome.sha256, forKey: .sha256)
        try container.encode(outcome.messageRowId, forKey: .messageRowId)
        try container.encode(outcome.status.rawValue, forKey: .status)
        try container.encode(outcome.action?.rawValue, forKey: .action)
        try container.encode(outcome.reason, forKey: .reason)
        try container.encode(outcome.trackingNumber, forKey: .trackingNumber)
        try container.encode(outcome.nominations.isEmpty ? (outcome.trackingNumber.map { [$0] } ?? []) : outcome.nominations.map(\.trackingNumber),
                             forKey: .trackingNumbers)
        try container.encode(outcome.submissionId, forKey: .submissionId)
        try container.encode(outcome.nominations.isEmpty ? (outcome.submissionId.map { [$0] } ?? []) : outcome.nominations.map(\.submissionId),
                             forKey: .submissionIds)
        try container.encode(outcome.versionNumber, forKey: .version)
        try container.encode(outcome.problems.map { ProblemReport(code: $0.code.rawValue, severity: $0.severity.rawValue, message: $0.message) },
                             forKey: .problems)
        try container.encode(outcome.replyId, forKey: .replyId)
        try container.encode(outcome.alreadyProcessed, forKey: .alreadyProcessed)
        try container.encode(outcome.nominations.map(SubmissionReport.init), forKey: .submissions)
        try container.encode(outcome.unassigned, forKey: .unassigned)
        try container.encode(outcome.reply.map(ReplyReport.init), forKey: .reply)
        try container.encode(outcome.resendOf, forKey: .resendOf)
    }
}
