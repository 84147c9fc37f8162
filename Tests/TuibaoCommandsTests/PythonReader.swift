import Foundation
import Testing

/// Debian's Python (which has openpyxl), for reading back what tuibao wrote as a spreadsheet
/// program would.
enum PythonReader {
    /// Runs the script with one argument, warnings as errors; its standard output.
    static func run(_ script: String, _ argument: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-W", "error", "-c", script, argument]
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
        return String(decoding: data, as: UTF8.self)
    }
}
