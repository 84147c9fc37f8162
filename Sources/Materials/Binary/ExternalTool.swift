import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a command-line tool with a time limit and an output cap. stdin is /dev/null; stdout and
/// stderr go to temporary files (not pipes), so a chatty tool can never block on a full pipe and
/// a grandchild holding the descriptors cannot keep us waiting. The files are polled while the tool
/// runs and it is killed when the clock or the cap runs out.
public struct ExternalTool: Sendable {
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: Data
        public let stderr: String
    }

    public enum Failure: Error, Equatable, Sendable {
        case missing
        case timedOut
        case outputTooLarge
        case launchFailed(String)
    }

    public let executable: URL
    public let timeout: Duration
    public let maxOutputBytes: Int

    public init(executable: URL, timeout: Duration, maxOutputBytes: Int) {
        self.executable = executable
        self.timeout = timeout
        self.maxOutputBytes = maxOutputBytes
    }

    /// The first executable named `name` on PATH (then /usr/bin, /usr/local/bin).
    public static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for directory in directories where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    public func run(_ arguments: [String]) throws -> Output {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { throw Failure.missing }
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("materials-tool-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let stdoutURL = scratch.appendingPathComponent("stdout")
        let stderrURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
        let stderrHandle = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? stdoutHandle.close()
            try? stderrHandle.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle
        do {
            try process.run()
        } catch {
            throw Failure.launchFailed(String(describing: error))
        }

        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var failure: Failure?
        while process.isRunning {
            if clock.now >= deadline {
                failure = .timedOut
            } else if fileSize(stdoutURL) > maxOutputBytes || fileSize(stderrURL) > maxOutputBytes {
                failure = .outputTooLarge
            }
            if failure != nil {
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        if let failure { throw failure }

        guard fileSize(stdoutURL) <= maxOutputBytes else { throw Failure.outputTooLarge }
        let stdout = (try? Data(contentsOf: stdoutURL)) ?? Data()
        let stderrData = (try? Data(contentsOf: stderrURL)) ?? Data()
        return Output(status: process.terminationStatus, stdout: stdout,
                      stderr: String(decoding: stderrData.prefix(4096), as: UTF8.self))
    }

    private func fileSize(_ url: URL) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
    }
}
