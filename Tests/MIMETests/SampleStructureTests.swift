import Crypto
import Foundation
import TestSupport
import Testing
@testable import MIME

/// What later steps rely on beyond the golden JSON: bounce and auto-reply markers, forwarded
/// headers, and attachments stored under generated names whatever the mail calls them.
@Suite("Samples: structure for later steps")
struct SampleStructureTests {
    func sample(_ name: String) -> String {
        TestPaths.samples.appendingPathComponent("mail/\(name).eml").path
    }

    @Test("a Postfix bounce: null Return-Path, delivery-status flagged")
    func bounce() throws {
        let message = try MessageParser().parse(fileAt: sample("20-postfix-bounce"))
        #expect(message.headers.returnPath == "")
        #expect(message.hasDeliveryStatus)
        #expect(message.headers.autoSubmitted == "auto-replied")
        #expect(message.parts.map(\.contentType) == ["multipart/report", "text/plain", "message/delivery-status", "text/rfc822-headers"])
        #expect(message.parts.map(\.kind) == [.multipart, .body, .report, .report])
    }

    @Test("a forwarded nomination: the original's headers are kept, its files counted")
    func forwarded() throws {
        let message = try MessageParser().parse(fileAt: sample("08-forward-rfc822-dicp"))
        let original = try #require(message.forwarded.first)
        #expect(message.forwarded.count == 1)
        #expect(original.from.first?.address.hasSuffix("dicp.ac.cn") == true)
        #expect(message.attachments.map(\.messageDepth) == [1, 1, 0])
        #expect(message.parts.contains { $0.kind == .message })
    }

    @Test("hostile filenames stay data: files are stored as attachment-NNN with the decoded bytes")
    func hostileNames() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let message = try MessageParser().parse(fileAt: sample("19-hostile-filenames"), attachmentDirectory: directory.path)
        #expect(message.attachments.contains { $0.filename?.contains("../") == true })
        #expect(message.attachments.contains { $0.filename?.contains("\r\n") == true })
        let stored = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(stored == (1...message.attachments.count).map { MessageWalker.storedName($0) })
        for attachment in message.attachments {
            let path = try #require(attachment.storedPath)
            #expect(path.hasPrefix(directory.path + "/attachment-"))
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(Int64(data.count) == attachment.size)
            #expect(SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() == attachment.sha256)
        }
    }

    @Test("an existing file in the attachment directory is never overwritten")
    func noOverwrite() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("keep".utf8).write(to: directory.appendingPathComponent("attachment-001"))
        #expect(throws: MIMEError.self) {
            try MessageParser().parse(fileAt: sample("01-foxmail-iphy"), attachmentDirectory: directory.path)
        }
        #expect(try String(contentsOf: directory.appendingPathComponent("attachment-001"), encoding: .utf8) == "keep")
    }

    @Test("an auto-reply is marked; a reply carries its references")
    func autoReplyAndReply() throws {
        let auto = try MessageParser().parse(fileAt: sample("16-autoreply-iphy"))
        #expect(auto.headers.autoSubmitted == "auto-replied")
        let reply = try MessageParser().parse(fileAt: sample("15-outlook2010-reply-dicp"))
        #expect(reply.headers.inReplyTo != nil)
        #expect(reply.headers.references.contains(try #require(reply.headers.inReplyTo)))
        #expect(reply.headers.subject?.contains("YS2018-0042") == true)
    }

    @Test("an empty file, text without headers and a directory are not messages")
    func degenerateFiles() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = directory.appendingPathComponent("empty.eml")
        try Data().write(to: empty)
        #expect(throws: MIMEError.notAMessage(path: empty.path)) { try MessageParser().parse(fileAt: empty.path) }
        let garbage = directory.appendingPathComponent("garbage.eml")
        try Data("这不是邮件\n\n正文".utf8).write(to: garbage)
        #expect(throws: MIMEError.notAMessage(path: garbage.path)) { try MessageParser().parse(fileAt: garbage.path) }
        #expect(throws: MIMEError.notAMessage(path: directory.path)) { try MessageParser().parse(fileAt: directory.path) }
    }
}
