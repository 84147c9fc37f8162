import Foundation

/// One long-lived `tuibao examine --serve` child that takes requests one at a time: a request
/// file's path on its stdin, one line back on its stdout when the answer file is written.
/// Starting a Swift process per file cost ~0.1 s (dynamic linking, runtime start), more than
/// reading most files; a worker is started once and replaced only when it died, was killed for
/// its time, or has served `recycleAfter` requests (so memory a reader leaked cannot pile up
/// against the address-space limit).
final class ExaminerWorker: @unchecked Sendable {
    enum Outcome {
        case answered
        case failed(String)     // the child reported an error it survived (a bad request)
        case died(ExaminerDied)
    }

    static let recycleAfter = 200

    let executable: URL
    private let lock = NSLock()  // one request at a time; every field below is under it
    private var pid: pid_t = 0
    private var input: Int32 = -1
    private var output: Int32 = -1
    private var served = 0
    private var pending = [UInt8]()

    init(executable: URL) { self.executable = executable }

    deinit { stop() }

    /// Hands one request to the worker (starting one if needed) and waits at most `seconds`.
    func call(requestFile: URL, seconds: Double) -> Outcome {
        lock.lock()
        defer { lock.unlock() }
        if pid == 0 || served >= Self.recycleAfter {
            stop()
            if let error = start() { return .died(ExaminerDied(description: "检查进程无法启动（\(error)）")) }
        }
        served += 1
        guard write(line: requestFile.path) else { return .died(reap(timedOut: false)) }
        switch readLine(timeout: seconds) {
        case .line(let line):
            return line == "ok" ? .answered : .failed(String(line.dropFirst("error ".count)))
        case .timedOut:
            kill(pid, SIGKILL)
            return .died(reap(timedOut: true, seconds: seconds))
        case .closed:
            return .died(reap(timedOut: false))
        }
    }

    private func start() -> String? {
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else { return String(cString: strerror(errno)) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        for fd in [toChild[0], toChild[1], fromChild[0], fromChild[1]] { posix_spawn_file_actions_addclose(&actions, fd) }
        // A crash is reported by its signal; Swift's backtracer would hold the child for seconds.
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        let arguments = [executable.path, "examine", "--serve"]
        var cArguments = arguments.map { strdup($0) } + [nil]
        var cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, executable.path, &actions, nil, &cArguments, &cEnvironment)
        close(toChild[0])
        close(fromChild[1])
        guard spawned == 0 else {
            close(toChild[1])
            close(fromChild[0])
            return String(cString: strerror(spawned))
        }
        // Our ends must not leak into later children (pdftotext, the next worker).
        _ = fcntl(toChild[1], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fromChild[0], F_SETFD, FD_CLOEXEC)
        (pid, input, output, served, pending) = (child, toChild[1], fromChild[0], 0, [])
        // Starting costs no file its budget: the worker says when it is ready to read.
        switch readLine(timeout: Self.startSeconds) {
        case .line("ready"): return nil
        case .line(let other): _ = reap(timedOut: false); return "未就绪：\(other.prefix(100))"
        case .timedOut: kill(pid, SIGKILL); _ = reap(timedOut: true); return "\(Int(Self.startSeconds)) 秒内未就绪"
        case .closed: return reap(timedOut: false).description
        }
    }

    /// How long a new worker may take to start (a loaded machine, a cold disk).
    static let startSeconds = 30.0

    /// Ends the worker (closing its stdin lets it exit on its own; it is killed if it lingers).
    func stop() {
        guard pid != 0 else { return }
        close(input)
        var status: Int32 = 0
        for _ in 0..<50 where waitpid(pid, &status, WNOHANG) == 0 { usleep(2_000) }
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        close(output)
        pid = 0
    }

    private func write(line: String) -> Bool {
        var bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Foundation.write(input, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    private enum Read { case line(String), timedOut, closed }

    private func readLine(timeout seconds: Double) -> Read {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0.1, seconds) * 1e9)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return .line(line)
            }
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { return .timedOut }
            var poller = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(1_000, (deadline - now) / 1_000_000 + 1)))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            let count = read(output, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return .closed }
            pending += buffer[..<count]
        }
    }

    /// Collects the dead worker and says how it died.
    private func reap(timedOut: Bool, seconds: Double = 0) -> ExaminerDied {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        close(input)
        close(output)
        pid = 0
        if timedOut { return ExaminerDied(description: "超过 \(IsolatedExaminer.seconds(seconds)) 秒未完成") }
        let signal = status & 0x7F
        if signal != 0 { return ExaminerDied(description: IsolatedExaminer.signalReason(signal)) }
        return ExaminerDied(description: "检查进程异常退出（状态 \((status >> 8) & 0xFF)）")
    }
}
