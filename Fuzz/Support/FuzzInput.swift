import CLibFuzzer
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hands one fuzz input to readers that take a file: the bytes are written to a file in a private
/// per-process folder (under $TUIBAO_FUZZ_TMP, else /dev/shm, else /tmp) that is reused every run.
public enum FuzzInput {
    public static let directory: URL = {
        let environment = ProcessInfo.processInfo.environment
        var base = environment["TUIBAO_FUZZ_TMP"] ?? "/dev/shm"
        if access(base, W_OK) != 0 { base = NSTemporaryDirectory() }
        let url = URL(fileURLWithPath: base).appendingPathComponent("tuibao-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: FuzzInput.directory) }
        return url
    }()

    /// Writes the input to `input.<fileExtension>` and returns its URL.
    public static func file(_ data: UnsafePointer<UInt8>, _ size: Int, fileExtension: String) -> URL {
        let url = directory.appendingPathComponent("input.\(fileExtension)")
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(descriptor >= 0, "cannot write \(url.path)")
        var written = 0
        while written < size {
            let count = write(descriptor, data + written, size - written)
            precondition(count > 0, "cannot write \(url.path)")
            written += count
        }
        close(descriptor)
        return url
    }

    /// An empty folder for readers that write (archive extraction), emptied before each use.
    public static func emptyFolder(_ name: String) -> URL {
        let url = directory.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    public static func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: data, count: size))
    }

    public static func text(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    }
}

/// Runs libFuzzer's driver (with the process's arguments) on `testOneInput` and exits with its status.
public func runLibFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}
