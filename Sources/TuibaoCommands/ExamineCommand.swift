import ArgumentParser
import Gateway

/// The examiner child: the service keeps one running (`--serve`) and hands it a message to
/// parse or a file to read at a time, with limits, so a reader that crashes or stalls costs
/// one file, not the service.
struct ExamineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "examine",
        abstract: "（内部）在受限的子进程中解析邮件或读取附件 (internal: the isolated examiner)",
        shouldDisplay: false)

    @Flag(help: "从标准输入逐行读取请求文件 (take request files, one per line, on stdin)")
    var serve = false

    @Argument(help: "请求文件 (request file, JSON)")
    var request: String?

    func run() throws {
        if serve { ExaminerChild.serve(); return }
        guard let request else { throw ValidationError("需要请求文件或 --serve (a request file or --serve)") }
        try ExaminerChild.run(requestPath: request)
    }
}
