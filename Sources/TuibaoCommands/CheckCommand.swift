import ArgumentParser
import Foundation
import Gateway
import MIME
import Store

/// `tuibao check FILE.eml`: reads one message the way intake will, and writes nothing.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "读取一封邮件并显示解析结果，不写入任何数据。 Read one message and show what tuibao sees; writes nothing.",
        discussion: """
        打印主题、发件人、日期、附件（原文件名、类型、大小、SHA-256）、正文，以及材料核对结果。
        With --json, prints one JSON object: {"message": {messageId, subject, from, date, inReplyTo,
        references, autoSubmitted, attachments: [{filename, contentType, size, sha256}], bodyText, …},
        "action", "ignoreReason", "submissions": [{category, nominee, unit, title, materials,
        problems: [{code, severity, message}], action}], "unassigned"}.
        The rules, the units registry and our own addresses come from the configuration when one is
        found (--config, $TUIBAO_CONFIG, ./Config/tuibao.toml), else the notice's defaults.
        Exit status 0 when the message was read; 1 with a one-line error otherwise.
        """
    )

    @Argument(help: "邮件文件 (.eml). The message file.")
    var file: String

    @Flag(help: "输出 JSON。 Print one JSON object instead of the summary.")
    var json = false

    @Option(help: "配置文件（规则、单位名录）。 Configuration (rules, units registry).")
    var config: String?

    @Option(name: .customLong("data-dir"),
            help: "与此数据目录中已有的推报核对（查重、版本），不写入。 Check against the submissions filed in this data directory (duplicates, versions); writes nothing.")
    var dataDirectory: String?

    init() {}

    func run() throws {
        print(try Self.output(for: file, json: json, config: config, dataDirectory: dataDirectory), terminator: "")
    }

    /// What `check` prints for `file`: the JSON report or the Chinese summary.
    /// - Parameter dataDirectory: a store to check against (earlier submissions, duplicates,
    ///   versions); without one, an empty store in a scratch folder, as for a first mail.
    static func output(for file: String, json: Bool, config: String? = nil, dataDirectory: String? = nil) throws -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tuibao-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let configured = try Self.configuration(explicit: config)
        let directory = dataDirectory.map { URL(fileURLWithPath: $0) } ?? scratch
        var configuration = configured ?? GatewayConfiguration.noticeDefaults(dataDirectory: directory)
        configuration.dataDirectory = directory
        let parsed: ParsedMessage
        let verdict: Verdict
        do {
            let store = try TuibaoStore(dataDirectory: directory)
            let pipeline = try IntakePipeline(store: store, configuration: configuration,
                                              templates: configured == nil ? .unworded : nil)
            (parsed, verdict) = try pipeline.preview(fileAt: URL(fileURLWithPath: file))
        } catch let error as MIMEError {
            throw CommandFailure("无法读取邮件 (cannot read message): \(error)")
        }
        return json ? try JSONOutput.string(CheckReport(parsed, verdict: verdict)) + "\n"
                    : CheckSummary.render(parsed, verdict: verdict)
    }

    /// The configuration named, else the usual one if there is one; none means the defaults.
    static func configuration(explicit: String?) throws -> GatewayConfiguration? {
        let file = GatewayConfiguration.locate(explicit: explicit)
        guard explicit != nil || FileManager.default.fileExists(atPath: file.path) else { return nil }
        return try GatewayConfiguration.load(from: file)
    }
}
