// The parse benchmark: every file parsed N times (headers, body text, every attachment decoded
// with its SHA-256; with --store also written to a temporary file, as intake does); prints
// `bytes=<input bytes processed> seconds=<wall time>`.
import Foundation
import MIME

func parseBenchmark(_ arguments: [String]) {
    var arguments = arguments
    var iterations = 1
    var store = false
    while let option = arguments.first, option.hasPrefix("--") {
        if option == "--store" {
            store = true
            arguments.removeFirst()
        } else if option == "--iterations", arguments.count >= 2, let count = Int(arguments[1]) {
            iterations = count
            arguments.removeFirst(2)
        } else {
            FileHandle.standardError.write(Data("tuibao-bench: unknown option \(option)\n".utf8))
            exit(2)
        }
    }
    let parser = MessageParser()
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tuibao-bench-\(getpid())").path
    var bytes: Int64 = 0
    let start = Date()
    do {
        for _ in 0..<iterations {
            for file in arguments {
                if store { try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true) }
                let message = try parser.parse(fileAt: file, attachmentDirectory: store ? scratch : nil)
                bytes += message.rawSize
                if store { try FileManager.default.removeItem(atPath: scratch) }
            }
        }
    } catch {
        FileHandle.standardError.write(Data("tuibao-bench: \(error)\n".utf8))
        exit(1)
    }
    print("bytes=\(bytes) seconds=\(Date().timeIntervalSince(start))")
}
