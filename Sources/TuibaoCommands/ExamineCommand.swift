import ArgumentParser
import Gateway

/// The examiner child: the service runs it per message (parse) and per file (readers), with
/// limits, so a reader that crashes or stalls costs one file, not the service.
struct ExamineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "examine",
        abstract: "（内部）在受限的子进程中解析邮件或读取附件 (internal: the isolated examiner)",
        shouldDisplay: false)

    @Argument(help: "请求文件 (request file, JSON)")
    var request: String

    func run() throws {
        try ExaminerChild.run(requestPath: request)
    }
}
