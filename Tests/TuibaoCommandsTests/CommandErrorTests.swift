import Foundation
import TestSupport
import Testing

/// Every error reaches the user as one line (Chinese with the English gist) and status 1; usage
/// errors keep ArgumentParser's text and status 64; help is help, status 0.
@Suite("CLI errors and help")
struct CommandErrorTests {
    @Test("help for a subcommand, both ways, exits 0 with its overview")
    func help() throws {
        for arguments in [["help", "queue"], ["queue", "--help"]] {
            let process = Process()
            process.executableURL = TestWorkspace.binary
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(arguments)")
            #expect(text.hasPrefix("OVERVIEW: 查看受理队列。"), "\(arguments)")
        }
    }

    @Test("file errors are one Chinese line, never Foundation's domain and code")
    func fileErrors() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        #expect(try workspace.run(["ingest", TestWorkspace.sample("01-foxmail-iphy").path]).status == 0)
        let existing = workspace.directory.appendingPathComponent("已有文件")
        try Data().write(to: existing)
        let cases: [([String], String)] = [
            (["files", "YS2018-0001", "--to", existing.path], "错误：--to 须是文件夹，\(existing.path) 是一个文件 (--to must name a folder)\n"),
            (["export", "-o", "/no/such/dir/x.csv"], "错误：找不到文件或目录 (no such file or directory): /no/such/dir/x.csv\n"),
        ]
        for (arguments, expected) in cases {
            let result = try workspace.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.error == expected, "\(arguments)")
            #expect(!result.error.contains("NSCocoaErrorDomain"))
        }
        let usage = try workspace.run(["queue", "--no-such-option"])
        #expect(usage.status == 64 && usage.error.contains("Unknown option '--no-such-option'"))
    }
}
