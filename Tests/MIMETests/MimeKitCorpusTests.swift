import Foundation
import TestSupport
import Testing
@testable import MIME

/// MimeKit's edge cases (deep nesting, empty multiparts, reports, mbox quirks) must all be
/// read without a crash and within the parser's limits.
@Suite("MimeKit corpus")
struct MimeKitCorpusTests {
    static let testData = TestPaths.shared.appendingPathComponent("corpora/mimekit/UnitTests/TestData")
    static let messageFiles = TestPaths.files(in: testData.appendingPathComponent("messages"), suffixes: [".txt", ".eml"])
        + TestPaths.files(in: testData.appendingPathComponent("partial"), suffixes: [".eml"])

    @Test("the corpus is present")
    func corpusPresent() {
        #expect(Self.messageFiles.count >= 35)
    }

    @Test("every message parses within limits", arguments: messageFiles)
    func parses(_ file: URL) throws {
        let limits = ParseLimits()
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let message = try MessageParser(limits: limits).parse(fileAt: file.path, attachmentDirectory: directory.path)
        #expect(message.parts.count <= limits.maxParts)
        #expect(message.parts.allSatisfy { $0.depth <= limits.maxDepth })
        #expect(message.bodyText.utf8.count <= limits.maxBodyTextBytes)
        for attachment in message.attachments {
            let stored = try #require(attachment.storedPath)
            let size = try FileManager.default.attributesOfItem(atPath: stored)[.size] as? Int64
            #expect(size == attachment.size)
        }
    }

    @Test("mbox files: as many messages as MimeKit's summary lists, with the same subjects",
          arguments: ["content-length", "issue1189"])
    func mbox(_ name: String) throws {
        let directory = Self.testData.appendingPathComponent("mbox")
        let messages = try MessageParser().parseMailbox(fileAt: directory.appendingPathComponent("\(name).mbox.txt").path)
        let summary = try String(contentsOf: directory.appendingPathComponent("\(name)-summary.txt"), encoding: .utf8)
        let expectedSubjects = summary.split(separator: "\n").filter { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst(9)) }
        let expectedCount = summary.split(separator: "\n").filter { $0.hasPrefix("From ") }.count
        #expect(messages.count == expectedCount)
        #expect(messages.compactMap(\.headers.subject) == expectedSubjects)
    }

    @Test("simple mbox; an unmunged body line \"From Russia with love\" starts a message, as in every mboxrd reader", arguments: [("simple", 3), ("unmunged", 4)])
    func simpleMbox(_ name: String, _ count: Int) throws {
        let file = Self.testData.appendingPathComponent("mbox/\(name).mbox.txt")
        let messages = try MessageParser().parseMailbox(fileAt: file.path)
        #expect(messages.count == count)
    }

    @Test("nesting deeper than the limit is cut with a warning, not a crash")
    func deepNesting() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var text = "From: a@example.cn\r\nSubject: deep\r\nMIME-Version: 1.0\r\n"
        for level in 0..<300 {
            text += "Content-Type: multipart/mixed; boundary=\"b\(level)\"\r\n\r\n--b\(level)\r\n"
        }
        text += "Content-Type: text/plain\r\n\r\nhello\r\n"
        for level in (0..<300).reversed() { text += "--b\(level)--\r\n" }
        let file = directory.appendingPathComponent("deep.eml")
        try Data(text.utf8).write(to: file)
        let message = try MessageParser().parse(fileAt: file.path)
        #expect(message.warnings.contains { $0.code == .nestingTooDeep })
        #expect(message.parts.count == ParseLimits().maxDepth + 1)
    }

    @Test("too many parts are cut with a warning")
    func manyParts() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var text = "From: a@example.cn\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n"
        for index in 0..<50 {
            text += "--x\r\nContent-Type: application/octet-stream; name=f\(index).bin\r\n\r\nabc\r\n"
        }
        text += "--x--\r\n"
        let file = directory.appendingPathComponent("many.eml")
        try Data(text.utf8).write(to: file)
        var limits = ParseLimits()
        limits.maxParts = 10
        let message = try MessageParser(limits: limits).parse(fileAt: file.path)
        #expect(message.parts.count == 10)
        #expect(message.attachments.count == 9)
        #expect(message.warnings.map(\.code) == [.tooManyParts])
    }

    @Test("an over-long header is cut with a warning")
    func longHeader() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("long.eml")
        let subject = String(repeating: "推", count: 40_000)  // 120,000 bytes
        try Data("From: a@example.cn\r\nSubject: \(subject)\r\n\r\nbody\r\n".utf8).write(to: file)
        let message = try MessageParser().parse(fileAt: file.path)
        let subjectCount = try #require(message.headers.subject?.count)
        #expect((ParseLimits().maxHeaderBytes / 3 - 1...ParseLimits().maxHeaderBytes / 3).contains(subjectCount))
        #expect(message.headers.subject?.allSatisfy { $0 == "推" } == true)
        #expect(message.warnings.contains { $0.code == .headerTooLong })
        #expect(message.bodyText == "body\n")
    }
}
