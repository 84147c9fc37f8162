import ArgumentParser
import Foundation
import Gateway

/// `tuibao merge ID INTO-ID`: fix a wrong split — a supplement filed as a deed of its own.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "把误分的推报并入另一件（如未带受理编号的补充材料）。 Merge a submission into another.",
        discussion: """
        ID 的当前材料成为 INTO-ID 的新一版（按类别替换：新的推报表、征文、视频替换原有的，图片累加），
        重新核对；ID 标为已并入（重复报送），记入处理记录；单位收到合并后这件推报的一封回复。
        ID's current files become a new version of INTO-ID, checked again as a whole; ID is marked
        as merged; the unit gets one reply for the merged record.
        """)

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "要并入的推报（受理编号）。 The submission to merge.")
    var id: String

    @Argument(help: "并入到的推报（受理编号）。 The submission it belongs to.")
    var into: String

    @Option(help: "操作人。")
    var by: String?

    func run() throws {
        let pipeline = try gateway.openPipeline()
        let source = try requireSubmission(id, in: pipeline.store)
        let target = try requireSubmission(into, in: pipeline.store)
        let outcome = try pipeline.merge(source.id!, into: target.id!, actor: StaffFormatting.actor(by), now: StaffFormatting.now())
        print("已将 \(outcome.merged) 并入 \(outcome.into)（第 \(outcome.versionNumber) 版），重新核对结果：\(outcome.action.label)")
        for problem in outcome.problems { print("  [\(problem.severity.label)] \(problem.code.rawValue): \(problem.message)") }
        if let reply = outcome.replyId { print("回复已放入待发队列（回复 \(reply)）。") }
    }
}
