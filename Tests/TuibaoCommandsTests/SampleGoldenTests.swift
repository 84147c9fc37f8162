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

    /// The 43 sample mails by name. Pinned so that a missing, renamed or unreadable Samples/mail
    /// folder fails here instead of silently shrinking the golden test to fewer (or zero) cases.
    static let expectedNames = [
        "01-foxmail-iphy",
        "02-outlook2016-simm",
        "03-qqmail-bigattach-dicp",
        "04-coremail-lzb",
        "05-163-gb18030-names",
        "06-wps-rfc2231-gbk",
        "07-applemail-video-nao",
        "08-forward-rfc822-dicp",
        "09-raw8bit-gb18030-ihep",
        "10-split-padded-words",
        "11-big5-siat",
        "12-thunderbird-xgbk-pasted",
        "13-pegasus-uuencode-pmo",
        "14-php-bad-base64-impcas",
        "15-outlook2010-reply-dicp",
        "16-autoreply-iphy",
        "17-foxmail-reply-panlink",
        "18-phpmailer-html-only-opt",
        "19-hostile-filenames",
        "20-postfix-bounce",
        "21-foxmail-complete-ciomp",
        "22-coremail-video-only-ioe",
        "23-outlook2016-form-incomplete-iccas",
        "24-coremail-form-photo-opt",
        "25-foxmail-essay-short-pictures-ioe",
        "26-qqexmail-essay-long-siat",
        "27-outlook2010-scanned-pdf-iccas",
        "28-outlook2016-photo-600k-simm",
        "29-iphone-mov-nao",
        "30-coremail-video-short-lzb",
        "31-foxmail-video-long-iphy",
        "32-outlook2016-video-720p-dicp",
        "33-phpmailer-video-truncated-opt",
        "34-foxmail-exe-ciomp",
        "35-163-7z-docm-siat",
        "36-coremail-leader-cstcloud-impcas",
        "37-outlook2016-zip-gbk-dicp",
        "38-coremail-two-nominations-ihep",
        "39-thunderbird-pasted-essay-pmo",
        "40-outlookexpress-txt-gb18030-impcas",
        "41-coremail-portrait-video-lzb",
        "42-foxmail-docx-bomb-ioe",
        "43-outlook-rtf-winmail-simm",
    ]

    @Test("exactly the 43 named samples are present, each with a golden file")
    func samplesPresent() {
        #expect(Self.expectedNames.count == 43)
        #expect(Self.mails.map { $0.deletingPathExtension().lastPathComponent } == Self.expectedNames)
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
