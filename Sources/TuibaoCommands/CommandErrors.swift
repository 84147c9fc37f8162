import ArgumentParser
import Foundation

/// A one-line error for the user, exit status 1, no usage text.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The one place an error becomes what the user reads: a line in Chinese with the English gist,
/// never Foundation's "Error Domain=NSCocoaErrorDomain Code=516 …".
enum ErrorMessage {
    /// Errors ArgumentParser makes and knows how to report (help requests among them).
    static func isArgumentParsers(_ error: any Error) -> Bool {
        error is ExitCode || error is CleanExit || error is ValidationError
            || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }

    static func line(for error: any Error) -> String {
        switch error {
        case let error as CocoaError: cocoa(error)
        case let error as POSIXError: "系统错误 (system error): \(String(cString: strerror(error.code.rawValue)))"
        default: "\(error)"
        }
    }

    /// Foundation wraps the system's reason (EISDIR, ENOSPC …) in NSUnderlyingError; say that one.
    private static func underlyingPOSIX(_ error: CocoaError) -> String? {
        guard let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain else { return nil }
        let reason = String(cString: strerror(Int32(underlying.code)))
        switch Int32(underlying.code) {
        case EISDIR: return "是文件夹，不是文件 (is a directory)"
        case ENOTDIR: return "路径中有一段不是文件夹 (not a directory)"
        default: return "系统错误 (\(reason))"
        }
    }

    private static func cocoa(_ error: CocoaError) -> String {
        let path = error.filePath ?? (error.userInfo[NSURLErrorKey] as? URL)?.path ?? ""
        switch error.code {
        case .fileNoSuchFile, .fileReadNoSuchFile:
            return "找不到文件或目录 (no such file or directory): \(path)"
        case .fileWriteFileExists:
            return "目标已存在，不会覆盖 (already exists, not overwritten): \(path)"
        case .fileReadNoPermission, .fileWriteNoPermission:
            return "没有权限 (permission denied): \(path)"
        case .fileWriteOutOfSpace:
            return "磁盘空间不足 (no space left on device): \(path)"
        case .fileWriteVolumeReadOnly:
            return "文件系统只读 (read-only file system): \(path)"
        case .fileReadCorruptFile, .fileReadUnknownStringEncoding, .fileReadInapplicableStringEncoding:
            return "文件内容无法读取 (unreadable file): \(path)"
        default:
            if let reason = underlyingPOSIX(error) { return "\(reason): \(path)" }
            return "文件操作失败 (file operation failed, code \(error.code.rawValue)): \(path)"
        }
    }
}

/// A file named on the command line (a mail to ingest, a file to attach): it must exist and be
/// a file, said in one line before anything reads it.
enum InputFile {
    static func check(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CommandFailure("找不到文件 (no such file): \(path)")
        }
        if isDirectory.boolValue {
            throw CommandFailure("\(path) 是文件夹，请给出其中的文件，如 \(path)/*.eml (is a folder: name the files)")
        }
        guard FileManager.default.isReadableFile(atPath: path) else { throw CommandFailure("没有权限读取 (permission denied): \(path)") }
    }
}

extension TuibaoCommand {
    /// Parses and runs the command. Usage errors are ArgumentParser's (with help, status 64);
    /// every other error is one line on standard error and status 1.
    public static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let asked = HelpText.requested(in: arguments, root: TuibaoCommand.self) {
            print(HelpText.message(for: asked, root: TuibaoCommand.self, width: TerminalWidth.current ?? 80), terminator: "")
            Foundation.exit(0)
        }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(ArgumentOrder.normalized(arguments, root: TuibaoCommand.self))
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch let error where ErrorMessage.isArgumentParsers(error) {
            exit(withError: error)  // help (`tuibao help queue`), usage errors, exit codes
        } catch {
            FileHandle.standardError.write(Data("错误：\(ErrorMessage.line(for: error))\n".utf8))
            Foundation.exit(1)
        }
    }
}
