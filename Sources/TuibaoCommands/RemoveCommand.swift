import ArgumentParser
import Foundation
import Gateway

/// `tuibao remove ID FILE`: take a file out of a submission's current version.
struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "从推报的当前版本中移除一个文件（记入处理记录），并重新核对。 Take a file out of the current version.",
        discussion: """
        FILE 为 tuibao show 列出的文件名或序号。文件仍保留在历史版本和文件库中。
        FILE is a name or number as `tuibao show` lists them; the file stays in the history.
        """)

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "受理编号。")
    var id: String

    @Argument(help: "文件名或序号。 File name or number.")
    var file: String

    @Option(help: "操作人。")
    var by: String?

    func run() throws {
        let pipeline = try gateway.openPipeline()
        let submission = try requireSubmission(id, in: pipeline.store)
        let outcome = try pipeline.remove(fileNamed: file, from: submission.id!, actor: StaffFormatting.actor(by), now: StaffFormatting.now())
        print("已从 \(outcome.trackingNumber) 移除“\(outcome.fileName)”，重新核对结果：\(outcome.action.label)")
        for problem in outcome.problems { print("  [\(problem.severity.label)] \(problem.code.rawValue): \(problem.message)") }
        if let reply = outcome.receiptReplyId { print("材料已齐全，受理回执已放入待发队列（回复 \(reply)）。") }
    }
}
