import Foundation
import TestSupport
import Testing
@testable import TuibaoCommands

/// Every sample mail in Samples/mail must produce exactly its golden `.expected.json`: each
/// decoded string, size and hash. The golden files are written by `scripts/make-samples`
/// from what it put into the mail, not from this parser's output.
@Suite("Samples: golden check --json")
struct SampleGoldenTests {
    static let mails = TestPaths.files(in: TestPaths.samples.appendingPathComponent("mail"), suffixes: [".eml"])

    @Test("there are at least 12 samples, each with a golden file")
    func samplesPresent() {
        #expect(Self.mails.count >= 12)
        for mail in Self.mails {
            #expect(FileManager.default.fileExists(atPath: Self.goldenURL(for: mail).path), "no golden file for \(mail.lastPathComponent)")
        }
    }

    @Test("check --json equals the golden file", arguments: mails)
    func golden(_ mail: URL) throws {
        let expected = try Self.jsonObject(Data(contentsOf: Self.goldenURL(for: mail)))
        let actual = try Self.jsonObject(Data(CheckCommand.output(for: mail.path, json: true).utf8))
        let expectedMessage = try #require(expected["message"] as? [String: Any])
        let actualMessage = try #require(actual["message"] as? [String: Any])
        for (key, expectedValue) in expectedMessage {
            let actualValue = actualMessage[key] ?? NSNull()
            if key == "bodyText" {
                #expect(Self.collapsedWhitespace(actualValue) == Self.collapsedWhitespace(expectedValue),
                        "\(mail.lastPathComponent): bodyText")
            } else {
                #expect(Self.canonical(actualValue) == Self.canonical(expectedValue), "\(mail.lastPathComponent): \(key)")
            }
        }
    }

    static func goldenURL(for mail: URL) -> URL {
        mail.deletingPathExtension().appendingPathExtension("expected.json")
    }

    static func jsonObject(_ data: Data) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// A stable textual form of a JSON value, so nested objects compare regardless of key order.
    static func canonical(_ value: Any) -> String {
        guard JSONSerialization.isValidJSONObject([value]),
              let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return String(describing: value)
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func collapsedWhitespace(_ value: Any) -> String {
        guard let text = value as? String else { return String(describing: value) }
        return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}

@Suite("tuibao check, the command")
struct CheckCommandTests {
    static let binary = TestPaths.repositoryRoot.appendingPathComponent(".build/debug/tuibao")

    func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    @Test("an unreadable file: non-zero status and one line of error")
    func unreadable() throws {
        let result = try run(["check", "/nonexistent/推报.eml"])
        #expect(result.status != 0)
        #expect(result.output.isEmpty)
        let lines = result.error.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("无法读取邮件") == true)
        #expect(lines.first?.contains("/nonexistent/推报.eml") == true)
    }

    @Test("the summary names subject, sender and each attachment in Chinese labels")
    func summary() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("m.eml")
        try Data("""
        From: =?UTF-8?B?54mp55CG5omA?= <office@iphy.ac.cn>\r
        Subject: =?UTF-8?B?5o6o5oql5p2Q5paZ?=\r
        Date: Mon, 14 May 2018 09:31:02 +0800\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary=b\r
        \r
        --b\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        老师好\r
        --b\r
        Content-Type: application/octet-stream; name="=?UTF-8?B?5b6B5paHLmRvY3g=?="\r
        Content-Transfer-Encoding: base64\r
        \r
        5o6o5oql\r
        --b--\r

        """.utf8).write(to: file)
        let result = try run(["check", file.path])
        #expect(result.status == 0)
        #expect(result.output == """
        主题:     推报材料
        发件人:   物理所 <office@iphy.ac.cn>
        日期:     2018-05-14T09:31:02+08:00
        Message-ID: （无）
        附件:     1 个
          1. 征文.docx
             application/octet-stream, 6 字节, SHA-256 \(sha256Hex("推报"))
        正文:
          老师好
        处理:     请补正
        推报 1: （无推报表） → 请补正
          材料:   征文.docx
          [错误] form.missing: 未找到推报表（附件1）。请按通知附件1填写推报表，作为附件随邮件发送。
          [错误] essay.unreadable: 无法读取征文“征文.docx”的文字（文件已损坏，或内容与扩展名不符）。请另存为 Word（.docx）或 PDF 文件后重新发送。

        """)
    }
}

import Crypto
func sha256Hex(_ text: String) -> String {
    SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
}
