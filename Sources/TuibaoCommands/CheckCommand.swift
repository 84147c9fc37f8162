import ArgumentParser
import Foundation
import MIME

/// `tuibao check FILE.eml`: reads one message the way intake will, and writes nothing.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "读取一封邮件并显示解析结果，不写入任何数据。 Read one message and show what tuibao sees; writes nothing.",
        discussion: """
        打印主题、发件人、日期、附件（原文件名、类型、大小、SHA-256）和正文。
        With --json, prints one JSON object: {"message": {messageId, subject, from, date, inReplyTo,
        references, autoSubmitted, attachments: [{filename, contentType, size, sha256}], bodyText, …}}.
        Exit status 0 when the message was read; 1 with a one-line error otherwise.
        """
    )

    @Argument(help: "邮件文件 (.eml). The message file.")
    var file: String

    @Flag(help: "输出 JSON。 Print one JSON object instead of the summary.")
    var json = false

    init() {}

    func run() throws {
        print(try Self.output(for: file, json: json), terminator: "")
    }

    /// What `check` prints for `file`: the JSON report or the Chinese summary.
    static func output(for file: String, json: Bool) throws -> String {
        let parsed: ParsedMessage
        do {
            parsed = try MessageParser().parse(fileAt: file)
        } catch {
            throw CommandFailure("无法读取邮件 (cannot read message): \(error)")
        }
        return json ? try JSONOutput.string(CheckReport(parsed)) + "\n" : CheckSummary.render(parsed)
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
