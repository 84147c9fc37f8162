import ArgumentParser
import Foundation
import Store

/// `tuibao reprocess ID|--failed`: run the pipeline again on stored raw messages.
struct ReprocessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reprocess",
        abstract: "对已存档的原始邮件重新执行受理流程（用于解析失败的邮件）。 Run intake again on stored messages.")

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "邮件编号（见 tuibao queue --failed）。 Message numbers.")
    var messageIds: [Int64] = []

    @Flag(help: "重新处理所有解析失败的邮件。 Every failed message.")
    var failed = false

    func validate() throws {
        if messageIds.isEmpty == !failed { throw ValidationError("请给出邮件编号，或使用 --failed (give message numbers or --failed)") }
    }

    func run() throws {
        let pipeline = try gateway.openPipeline()
        let ids = failed ? try pipeline.store.messages(status: .failed).compactMap(\.id) : messageIds
        if ids.isEmpty { print("没有需要重新处理的邮件。"); return }
        var failures = 0
        for id in ids {
            do {
                let outcome = try pipeline.reprocess(messageRowId: id, now: StaffFormatting.now())
                print(IngestSummary.line(file: "邮件 \(id)", outcome: outcome))
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("错误：邮件 \(id): \(ErrorMessage.line(for: error))\n".utf8))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
