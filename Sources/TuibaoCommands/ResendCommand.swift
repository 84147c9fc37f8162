import ArgumentParser
import Foundation
import Gateway

/// `tuibao resend ID`: put a failed reply back in the queue.
struct ResendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resend", abstract: "把发送失败或未发送的回复重新放入待发队列。 Queue a failed or suppressed reply again.")

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "回复编号（见 tuibao outbox --failed 或 --suppressed）。")
    var replyIds: [Int64]

    @Flag(help: "已发送的回复也再发一次（用新的 Message-ID）。 Send an already sent reply once more.")
    var again = false

    @Option(help: "操作人。")
    var by: String?

    func run() throws {
        let (_, store) = try gateway.openStore()
        for id in replyIds {
            try store.requeue(replyId: id, again: again, actor: StaffFormatting.actor(by), now: StaffFormatting.now())
            print("回复 \(id) 已重新放入待发队列。")
        }
    }
}
