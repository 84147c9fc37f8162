import ArgumentParser
import Foundation
import Gateway
import MIME

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

    init() {}

    func run() throws {
        print(try Self.output(for: file, json: json, config: config), terminator: "")
    }

    /// What `check` prints for `file`: the JSON report or the Chinese summary.
    static func output(for file: String, json: Bool, config: String? = nil) throws -> String {
        let configuration = try Self.configuration(explicit: config)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("tuibao-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let parsed: ParsedMessage
        do {
            parsed = try MessageParser().parse(fileAt: file, attachmentDirectory: work.path)
        } catch {
            throw CommandFailure("无法读取邮件 (cannot read message): \(error)")
        }
        let assessment = MessageAssessment.assess(parsed, configuration: configuration)
        return json ? try JSONOutput.string(CheckReport(parsed, assessment: assessment)) + "\n"
                    : CheckSummary.render(parsed, assessment: assessment)
    }

    /// The configuration named, else the usual one if there is one; none means the defaults.
    static func configuration(explicit: String?) throws -> GatewayConfiguration? {
        let file = GatewayConfiguration.locate(explicit: explicit)
        guard explicit != nil || FileManager.default.fileExists(atPath: file.path) else { return nil }
        do {
            return try GatewayConfiguration.load(from: file)
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}

/// A one-line error for the user, exit status 1, no usage text.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum JSONOutput {
    /// One compact JSON object on one line (for streams of results, one per message).
    static func line(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func string(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
