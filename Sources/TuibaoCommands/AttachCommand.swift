import ArgumentParser
import Foundation
import Gateway
import Intake

/// `tuibao attach YS2018-0042 FILE`: add a file staff fetched (a video behind a cloud link).
struct AttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "为推报补充材料（如从网盘下载的视频），并重新核对。 Add a file to a submission and check it again.",
        discussion: """
        文件加入该推报的最新一版，按规则重新核对全部材料；若由此材料齐全，自动发送受理回执。
        The file joins the latest version, all rules run again; if that completes the submission,
        the unit gets its receipt.
        """)

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "受理编号，如 YS2018-0042。")
    var id: String

    @Argument(help: "要补充的文件。")
    var file: String

    @Option(help: "文件在推报中的名称（默认用文件名）。 Name to record.")
    var name: String?

    @Option(name: .customLong("as"),
            help: "文件的类别：form（推报表）、essay（征文）、video（视频）、picture（图片）；前三类替换原有的同类文件。 The role it takes: form, essay and video replace the current one.")
    var role: String?

    @Option(help: "操作人。")
    var by: String?

    func validate() throws {
        if let role, FileRole(argument: role) == nil {
            throw ValidationError("--as 只能是 form、essay、video 或 picture (got \(role))")
        }
    }

    func run() throws {
        let pipeline = try gateway.openPipeline()
        let submission = try requireSubmission(id, in: pipeline.store)
        do {
            try InputFile.check(file)
        } catch {
            throw CommandFailure("补充材料失败 (cannot attach): \(error)")
        }
        let outcome: AttachOutcome
        do {
            outcome = try pipeline.attach(fileAt: URL(fileURLWithPath: file), name: name, role: role.flatMap(FileRole.init(argument:)),
                                          to: submission.id!,
                                          actor: StaffFormatting.actor(by), now: StaffFormatting.now())
        } catch {
            throw CommandFailure("补充材料失败 (cannot attach): \(ErrorMessage.line(for: error))")
        }
        print("已将“\(outcome.fileName)”加入 \(outcome.trackingNumber)，重新核对结果：\(outcome.action.label)")
        for problem in outcome.problems { print("  [\(problem.severity.label)] \(problem.code.rawValue): \(problem.message)") }
        if let reply = outcome.receiptReplyId { print("材料已齐全，受理回执已放入待发队列（回复 \(reply)）。") }
    }
}

extension FileRole {
    /// The roles staff may give a file they attach.
    init?(argument: String) {
        switch argument.lowercased() {
        case "form", "推报表": self = .form
        case "essay", "征文": self = .essay
        case "video", "视频": self = .video
        case "picture", "image", "图片": self = .picture
        default: return nil
        }
    }
}
