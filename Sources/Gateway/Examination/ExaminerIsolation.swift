import Foundation
import MIME
import MaterialChecks

/// Limits on the child process that reads one message or one file (`[examiner]`).
public struct ExaminerLimits: Sendable, Hashable, Codable {
    /// Wall-clock budget for one file; the child is killed after it.
    public var fileSeconds: Double = 30
    /// Wall-clock budget for all files of one message; files after it are not read.
    public var messageSeconds: Double = 120
    /// Address space of the child (RLIMIT_AS).
    public var memoryMiB: Int = 4096
    /// Largest file the child may write (RLIMIT_FSIZE): unpacked members, its answer.
    public var outputMiB: Int = 2048

    public init() {}
}

/// What the child is asked to do; written as JSON into the work directory.
struct ExaminerRequest: Codable {
    enum Job: String, Codable { case parse, file }
    var job: Job
    /// The raw message (parse) or the file to read (file).
    var path: String
    var name = ""
    var sha256 = ""
    var size = 0
    var rules = CampaignRules()
    /// Parse: where attachments are written. File: where containers unpack.
    var scratch: String
    /// File: where members found inside a container are linked for the parent to keep.
    var keepDirectory = ""
    var answerPath: String
    var limits: ExaminerLimits
    /// The wall-clock budget of this request; CPU time is capped a second above it.
    var seconds: Double = 0
}

/// What the child answers.
struct ExaminerAnswer: Codable {
    var parsed: ParsedMessage?
    /// Parse: the parser refused the message (not a crash: the message is Failed at once).
    var parseError: String?
    var facts: MaterialFacts?
    /// SHA-256s of the members linked into `keepDirectory`.
    var kept: [String] = []
}

/// The child died, was killed by its limits or ran out of time, in words for staff and units.
public struct ExaminerDied: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// The parser in the child refused the message (the text of its error, as in-process).
struct ParseRefusal: Error, CustomStringConvertible {
    var description: String
}

/// Runs the readers of untrusted bytes in a child process (`tuibao examine --serve`), so a
/// reader that traps, overflows its stack, loops or eats memory costs one file, not the
/// service. The child sets its own rlimits before it reads anything (CPU per request); the
/// parent enforces the wall clock and starts a new child after one died or was killed.
public struct IsolatedExaminer: Sendable {
    /// The `tuibao` executable (the service's own binary).
    public var executable: URL
    public var limits: ExaminerLimits
    /// Shared by every copy of this value: one worker for the pipeline.
    let worker: ExaminerWorker

    public init(executable: URL, limits: ExaminerLimits) {
        self.executable = executable
        self.limits = limits
        worker = ExaminerWorker(executable: executable)
    }

    /// The running binary, when it is `tuibao` (a test runner or benchmark cannot be the child).
    public static func ownExecutable() -> URL? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        return URL(fileURLWithPath: path).lastPathComponent == "tuibao" ? URL(fileURLWithPath: path) : nil
    }

    /// Parses a raw message in a child. Throws `ExaminerDied` when the parse itself died (a
    /// GMime crash), and the parser's own error when it refused the message.
    func parse(rawPath: String, into work: URL) throws -> ParsedMessage {
        var request = ExaminerRequest(job: .parse, path: rawPath, scratch: work.path, answerPath: "", limits: limits)
        let answer = try run(&request, in: work, seconds: limits.messageSeconds)
        if let parsed = answer.parsed { return parsed }
        throw ParseRefusal(description: answer.parseError ?? "解析失败")
    }

    /// Reads one file in a child within `seconds`; members found inside are handed to `keep`.
    func examine(fileAt url: URL, name: String, sha256: String, size: Int, rules: CampaignRules, work: URL,
                 seconds: Double, keep: (URL, String) throws -> Void) throws -> MaterialFacts {
        let box = work.appendingPathComponent("examine-\(UUID().uuidString)")
        let keepDirectory = box.appendingPathComponent("keep")
        try FileManager.default.createDirectory(at: keepDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: box) }
        var request = ExaminerRequest(job: .file, path: url.path, name: name, sha256: sha256, size: size, rules: rules,
                                      scratch: box.path, keepDirectory: keepDirectory.path, answerPath: "", limits: limits)
        let answer = try run(&request, in: box, seconds: seconds)
        guard let facts = answer.facts else { throw ExaminerDied(description: "检查进程没有给出结果") }
        for member in answer.kept where member.count == 64 && member.allSatisfy(\.isHexDigit) {
            try keep(keepDirectory.appendingPathComponent(member), member)
        }
        return facts
    }

    private func run(_ request: inout ExaminerRequest, in directory: URL, seconds: Double) throws -> ExaminerAnswer {
        let id = UUID().uuidString
        let requestFile = directory.appendingPathComponent("request-\(id).json")
        let answerFile = directory.appendingPathComponent("answer-\(id).json")
        request.answerPath = answerFile.path
        request.seconds = seconds
        try JSONEncoder().encode(request).write(to: requestFile)
        defer { for file in [requestFile, answerFile] { try? FileManager.default.removeItem(at: file) } }
        switch worker.call(requestFile: requestFile, seconds: seconds) {
        case .died(let died):
            throw died
        case .failed(let reason):
            throw ExaminerDied(description: "检查进程报告错误：\(reason.prefix(200))")
        case .answered:
            guard let data = try? Data(contentsOf: answerFile),
                  let answer = try? JSONDecoder().decode(ExaminerAnswer.self, from: data) else {
                throw ExaminerDied(description: "检查进程的结果无法读取")
            }
            return answer
        }
    }

    static func seconds(_ value: Double) -> String {
        value >= 1 ? String(Int(value.rounded())) : String(format: "%.1f", value)
    }

    static func signalReason(_ signal: Int32) -> String {
        switch signal {
        case SIGXCPU: "CPU 时间超出限制"
        case SIGKILL: "被强制终止"
        case SIGSEGV, SIGBUS: "读取程序崩溃（内存访问错误）"
        case SIGILL, SIGTRAP: "读取程序崩溃（运行时检查失败）"
        case SIGABRT: "读取程序崩溃（内存不足或中止）"
        case SIGXFSZ: "输出超出大小限制"
        default: "读取程序被信号 \(signal) 终止"
        }
    }
}

/// The child: `tuibao examine --serve` takes request files one per line on stdin and answers
/// `ok` (or `error …`) on stdout; `tuibao examine REQUEST.json` does one.
public enum ExaminerChild {
    public static func serve() {
        // The answers get a descriptor of their own; anything a reader prints goes to stderr.
        let channel = FileHandle(fileDescriptor: dup(1), closeOnDealloc: true)
        dup2(2, 1)
        channel.write(Data("ready\n".utf8))
        var limitsApplied = false
        while let line = readLine() {
            var reply = "ok\n"
            do {
                let request = try JSONDecoder().decode(ExaminerRequest.self, from: Data(contentsOf: URL(fileURLWithPath: line)))
                if !limitsApplied { applyLimits(request.limits); limitsApplied = true }
                limitCPU(seconds: request.seconds > 0 ? request.seconds : request.limits.messageSeconds)
                try handle(request)
            } catch {
                reply = "error \(String(describing: error).replacingOccurrences(of: "\n", with: " "))\n"
            }
            channel.write(Data(reply.utf8))
        }
    }

    public static func run(requestPath: String) throws {
        let request = try JSONDecoder().decode(ExaminerRequest.self, from: Data(contentsOf: URL(fileURLWithPath: requestPath)))
        applyLimits(request.limits)
        limitCPU(seconds: request.limits.messageSeconds)
        try handle(request)
    }

    static func handle(_ request: ExaminerRequest) throws {
        var answer = ExaminerAnswer()
        switch request.job {
        case .parse:
            do {
                let parsed = try MessageParser().parse(fileAt: request.path, attachmentDirectory: request.scratch)
                FaultPoint.crashIfPoisoned(subject: parsed.headers.subject)
                answer.parsed = parsed
            } catch {
                answer.parseError = "\(error)"
            }
        case .file:
            ExaminerFault.hitIfArmed(name: request.name)
            let keepDirectory = URL(fileURLWithPath: request.keepDirectory)
            var kept: [String] = []
            answer.facts = MaterialExaminer(rules: request.rules, scratch: URL(fileURLWithPath: request.scratch))
                .examine(fileAt: URL(fileURLWithPath: request.path), name: request.name, sha256: request.sha256,
                         size: request.size) { member, sha256 in
                    let target = keepDirectory.appendingPathComponent(sha256)
                    if FileManager.default.fileExists(atPath: target.path) { return }
                    do { try FileManager.default.linkItem(at: member, to: target) } catch {
                        try FileManager.default.copyItem(at: member, to: target)
                    }
                    kept.append(sha256)
                }
            answer.kept = kept
        }
        try JSONEncoder().encode(answer).write(to: URL(fileURLWithPath: request.answerPath))
    }

    /// Set before any untrusted byte is read: address space, file size, no core dumps.
    static func applyLimits(_ limits: ExaminerLimits) {
        set(Int32(RLIMIT_AS.rawValue), soft: UInt64(limits.memoryMiB) << 20, hard: UInt64(limits.memoryMiB) << 20)
        set(Int32(RLIMIT_FSIZE.rawValue), soft: UInt64(limits.outputMiB) << 20, hard: UInt64(limits.outputMiB) << 20)
        set(Int32(RLIMIT_CORE.rawValue), soft: 0, hard: 0)
    }

    /// CPU time for the next request: what this worker used so far, plus the request's budget
    /// and a second (the parent's clock usually acts first). Only the soft limit moves, so it
    /// can be raised again for the next request; past it the kernel sends SIGXCPU.
    static func limitCPU(seconds: Double) {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let used = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + 1
        set(Int32(RLIMIT_CPU.rawValue), soft: UInt64(used) + UInt64(max(1, seconds.rounded(.up)) + 1), hard: UInt64.max)
    }

    private static func set(_ resource: Int32, soft: UInt64, hard: UInt64) {
        var limit = rlimit(rlim_cur: rlim_t(soft), rlim_max: rlim_t(hard))
        _ = setrlimit(__rlimit_resource_t(UInt32(resource)), &limit)
    }
}

/// Test-only misbehaviour of a reader, to prove the limits hold: `TUIBAO_FAULT_EXAMINE` is
/// `crash:NAME`, `hang:NAME`, `spin:NAME` or `memory:NAME`, acting on files whose name
/// contains NAME. Off unless set.
enum ExaminerFault {
    static func hitIfArmed(name: String) {
        guard let armed = ProcessInfo.processInfo.environment["TUIBAO_FAULT_EXAMINE"],
              let colon = armed.firstIndex(of: ":") else { return }
        let marker = armed[armed.index(after: colon)...]
        guard !marker.isEmpty, name.contains(marker) else { return }
        switch armed[..<colon] {
        case "crash": raise(SIGSEGV)
        case "hang": while true { sleep(60) }
        case "spin": var x = 0; while true { x &+= 1; if x == 0 { print(x) } }
        case "memory":
            var hoard: [UnsafeMutableRawPointer] = []
            while true {
                // Address space runs out before memory is touched: one byte a page would do.
                guard let block = malloc(64 << 20) else { abort() }
                block.storeBytes(of: 1, as: UInt8.self)
                hoard.append(block)
            }
        default: return
        }
    }
}
