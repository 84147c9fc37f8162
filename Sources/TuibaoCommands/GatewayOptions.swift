import ArgumentParser
import Foundation
import Gateway
import Store

/// Options every staff command shares: which configuration, which data directory.
struct GatewayOptions: ParsableArguments {
    @Option(name: .long, help: "配置文件 (configuration file; default $TUIBAO_CONFIG, ./Config/tuibao.toml, /etc/tuibao/tuibao.toml).")
    var config: String?

    @Option(name: .customLong("data-dir"), help: "数据目录，覆盖配置中的 data_dir (overrides data_dir).")
    var dataDirectory: String?

    @Flag(help: "表格不按终端宽度截断。 Show every cell whole, however wide.")
    var wide = false

    func configuration() throws -> GatewayConfiguration {
        if wide { TerminalWidth.unlimited() }
        let file = GatewayConfiguration.locate(explicit: config)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw CommandFailure(config == nil
                ? "找不到配置文件：依次查找了 $TUIBAO_CONFIG、./Config/tuibao.toml、/etc/tuibao/tuibao.toml。请用 --config 指定 "
                    + "(no configuration found: give --config FILE or set TUIBAO_CONFIG)"
                : "找不到配置文件 (no such configuration file): \(file.path)")
        }
        let configuration = try GatewayConfiguration.load(from: file, dataDirectoryOverride: dataDirectory)
        StaffFormatting.clock = StaffClock(zone: configuration.timeZone)
        return configuration
    }

    func openStore() throws -> (GatewayConfiguration, TuibaoStore) {
        let configuration = try configuration()
        do {
            return (configuration, try TuibaoStore(dataDirectory: configuration.dataDirectory))
        } catch {
            throw CommandFailure("无法打开数据目录 (cannot open data directory) \(configuration.dataDirectory.path): \(error)")
        }
    }

    /// The mailbox password: systemd credential, environment, or password file (never the config).
    func imapPassword(_ imap: GatewayConfiguration.IMAPSettings) throws -> String {
        try secret("imap-password", "TUIBAO_IMAP_PASSWORD", imap.passwordFile)
    }

    /// The SMTP password, the same way; none when the server takes mail without AUTH.
    func smtpPassword(_ smtp: GatewayConfiguration.SMTPSettings) throws -> String {
        smtp.username.isEmpty ? "" : try secret("smtp-password", "TUIBAO_SMTP_PASSWORD", smtp.passwordFile)
    }

    private func secret(_ credential: String, _ variable: String, _ file: String?) throws -> String {
        return try Credentials.password(credentialName: credential, environmentVariable: variable, file: file)
    }

    func openPipeline() throws -> IntakePipeline {
        let (configuration, store) = try openStore()
        var pipeline = try IntakePipeline(store: store, configuration: configuration)
        if configuration.examiner.isolate, let executable = IsolatedExaminer.ownExecutable() {
            pipeline.isolation = IsolatedExaminer(executable: executable, limits: configuration.examiner.limits)
        }
        return pipeline
    }
}
