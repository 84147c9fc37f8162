import Foundation
import TestSupport
import Testing
@testable import MIME

/// Hostile and damaged mail.
@Suite("Damaged and hostile mail")
struct DamagedMailTests {
    func parse(_ text: String, limits: ParseLimits = ParseLimits()) throws -> ParsedMessage {
        try parse(Array(text.utf8), limits: limits)
    }

    func parse(_ bytes: [UInt8], limits: ParseLimits = ParseLimits()) throws -> ParsedMessage {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("message.eml")
        try Data(bytes).write(to: file)
        return try MessageParser(limits: limits).parse(fileAt: file.path)
    }

    @Test("group members are read in order, nested groups in place")
    func groupMembersInOrder() throws {
        let message = try parse("From: zhang@example.cn\r\nTo: g1: a@x.cn, g2: b@x.cn;, c@x.cn;, d@x.cn\r\nSubject: s\r\n\r\nbody\r\n")
        #expect(message.headers.to.map(\.address) == ["a@x.cn", "b@x.cn", "c@x.cn", "d@x.cn"])
        #expect(message.warnings.isEmpty)
    }
}
