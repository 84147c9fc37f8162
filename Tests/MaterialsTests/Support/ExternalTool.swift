import Foundation

/// Runs a command-line tool found on PATH and returns its standard output.
enum ExternalTool {
    struct Failure: Error, CustomStringConvertible {
        let command: [String]
        let status: Int32
        let standardError: String
        var description: String { "\(command.joined(separator: " ")) exited \(status): \(standardError)" }
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Tools here print little on stderr (-v error), so reading stdout first cannot deadlock.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(command: [tool] + arguments, status: process.terminationStatus,
                          standardError: String(decoding: errorData, as: UTF8.self))
        }
        return String(decoding: outputData, as: UTF8.self)
    }
}
