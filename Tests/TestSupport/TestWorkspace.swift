import Foundation
import Gateway
import Store

/// A private data directory and configuration for one test, using the repository's templates
/// and units registry, removed afterwards.
public struct TestWorkspace {
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let binary = repositoryRoot.appendingPathComponent(".build/debug/tuibao")

    public let directory: URL
    public let configFile: URL

    public init(imap: DovecotServer? = nil, afterFiling: String = "move", maxAttempts: Int = 3, smtp: SMTPTestServer? = nil,
                extra: String = "", imapExtra: String = "", smtpExtra: String = "") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tuibao-gw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        configFile = directory.appendingPathComponent("tuibao.toml")
        let config = Self.repositoryRoot.appendingPathComponent("Config")
        try ("""
        data_dir = "data"
        own_addresses = ["xcb@cashq.ac.cn"]
        reply_domain = "cashq.ac.cn"
        office_name = "中国科学院党的建设工作领导小组办公室"
        office_contact = "联系电话：010-68597802"
        templates_dir = "\(config.appendingPathComponent("templates").path)"
        units_file = "\(config.appendingPathComponent("units.toml").path)"

        [campaign]
        id = "yisuo2018"
        name = "一所一人一事（2018）"
        tracking_prefix = "YS2018"
        """ + (imap.map { server in """

        [imap]
        host = "127.0.0.1"
        port = \(server.port)
        security = "\(server.mode == .starttls ? "starttls" : server.tls ? "tls" : "none")"
        insecure = \(!server.tls)
        username = "\(server.username)"
        \(server.tls ? "ca_file = \"\(server.caFile)\"" : "")
        after_filing = "\(afterFiling)"
        max_attempts = \(maxAttempts)
        \(imapExtra)
        """ } ?? "") + (smtp.map { server in """

        [smtp]
        host = "127.0.0.1"
        port = \(server.port)
        security = "\(server.caFile == nil ? "none" : "starttls")"
        insecure = \(server.caFile == nil)
        \(server.caFile.map { "ca_file = \"\($0)\"\nusername = \"xcb\"" } ?? "")
        ehlo_name = "tuibao.cashq.ac.cn"
        max_attempts = 4
        retry_base_seconds = 60
        \(smtpExtra)
        """ } ?? "") + "\n" + extra).write(to: configFile, atomically: true, encoding: .utf8)
    }

    public func remove() { try? FileManager.default.removeItem(at: directory) }

    public func pipeline() throws -> IntakePipeline {
        let configuration = try GatewayConfiguration.load(from: configFile)
        return try IntakePipeline(store: TuibaoStore(dataDirectory: configuration.dataDirectory), configuration: configuration)
    }

    public static func sample(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Samples/mail/\(name).eml")
    }

    /// Writes a small message built from header lines and a body.
    public func message(_ name: String, headers: [String], body: String = "各位老师好，附件是推报材料。") throws -> URL {
        let url = directory.appendingPathComponent(name)
        let text = (headers + ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                               "Content-Transfer-Encoding: 8bit", "", body, ""]).joined(separator: "\r\n")
        try Data(text.utf8).write(to: url)
        return url
    }

    /// Runs the tuibao executable with this workspace's configuration.
    @discardableResult
    public func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments + ["--config", configFile.path]
        // No terminal width from the shell that ran the tests: tables are whole unless a test sets COLUMNS.
        process.environment = ProcessInfo.processInfo.environment.merging(["COLUMNS": ""].merging(environment) { $1 }) { $1 }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    public func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments + ["--config", configFile.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
