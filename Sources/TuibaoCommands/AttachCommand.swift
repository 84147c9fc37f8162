import ArgumentParser
import Foundation
import Gateway

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

    @Option(help: "操作人。")
    var by: String?

    func run() throws {
        let pipeline = try gateway.openPipeline()
        let submission = try requireSubmission(id, in: pipeline.store)
        guard FileManager.default.isReadableFile(atPath: file) else { throw CommandFailure("无法读取文件 \(file)") }
        let outcome: AttachOutcome
        do {
            outcome = try pipeline.attach(fileAt: URL(fileURLWithPath: file), name: name, to: submission.id!,
                                          actor: StaffFormatting.actor(by), now: StaffFormatting.now())
        } catch {
            throw CommandFailure("补充材料失败: \(error)")
        }
        print("已将“\(outcome.fileName)”加入 \(outcome.trackingNumber)，重新核对结果：\(outcome.action.label)")
        for problem in outcome.problems { print("  [\(problem.severity.label)] \(problem.code.rawValue): \(problem.message)") }
        if let reply = outcome.receiptReplyId { print("材料已齐全，受理回执已放入待发队列（回复 \(reply)）。") }
    }
}
