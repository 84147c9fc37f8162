import Foundation

/// Runs an installed tool (python3, 7zz, bsdtar, tnef, sha256sum) for fixtures and cross-checks.
enum CommandLineTool {
    struct Failure: Error, CustomStringConvertible {
        let command: [String]
        let status: Int32
        let output: String
        var description: String { "\(command.joined(separator: " ")) exited \(status): \(output)" }
    }

    struct Result {
        var status: Int32
        var output: String
    }

    /// Runs `tool` with standard error merged into the output; throws on a non-zero exit unless
    /// `allowFailure`.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], in directory: URL? = nil,
                    allowFailure: Bool = false) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let result = Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
        guard allowFailure || result.status == 0 else {
            throw Failure(command: [tool] + arguments, status: result.status, output: result.output)
        }
        return result
    }

    /// Runs a script with Debian's Python 3 (which has python3-openpyxl), with the test's
    /// arguments in sys.argv[1:].
    @discardableResult
    static func python(_ script: String, _ arguments: [String] = [], in directory: URL? = nil) throws -> String {
        try run("/usr/bin/python3", ["-c", script] + arguments, in: directory).output
    }

    static func sha256(of url: URL) throws -> String {
        String(try run("sha256sum", [url.path]).output.prefix(64))
    }
}

/// A fresh directory under the system temporary directory, removed when the value goes away.
final class ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("materials-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    func write(_ name: String, _ data: Data) throws -> URL {
        let target = file(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: target)
        return target
    }

    /// Every path under the folder, relative, sorted.
    func contents(of subfolder: String = "") throws -> [String] {
        let root = subfolder.isEmpty ? url : file(subfolder)
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.sorted()
    }
}

enum Fixture {
    static func url(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
    }
}
