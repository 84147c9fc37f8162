import Foundation
import TestSupport
import Testing
@testable import TuibaoCommands

/// Damaged mail through `check --json`, the path intake takes: what the parser repairs reaches
/// the reply.
@Suite("check: damaged mail")
struct DamagedMailCheckTests {
    static let config = TestPaths.repositoryRoot.appendingPathComponent("Config/tuibao.toml").path

    struct Report: Decodable {
        struct Message: Decodable { var subject: String? }
        struct Reply: Decodable { var kind: String; var subject: String }
        var action: String
        var message: Message
        var reply: Reply?
    }

    @Test("a subject whose encoded word is folded in its middle is decoded, in the message and in the reply")
    func foldedSubjectReachesReply() throws {
        let sample = try [UInt8](Data(contentsOf: TestPaths.samples.appendingPathComponent("mail/01-foxmail-iphy.eml")))
        let original = Array("Subject: =?GBK?B?ob7Su8v50rvIy9K7ysKhv87vwO3R0L6/y/nNxrGossTBz6OouqvLvNS2o6k=?=".utf8)
        // The same title in UTF-8, folded between 一 and 所 inside the word.
        let folded = Array("Subject: =?UTF-8?B?44CQ5LiA\r\n 5omA5LiA5Lq65LiA5LqL44CR54mp55CG56CU56m25omA5o6o5oql5p2Q5paZ77yI6Z+p5oCd6L+c77yJ?=".utf8)
        let start = try #require((0...(sample.count - original.count)).first { sample[$0..<$0 + original.count].elementsEqual(original) })
        var mail = sample
        mail.replaceSubrange(start..<start + original.count, with: folded)

        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("folded-subject.eml")
        try Data(mail).write(to: file)
        let output = try CheckCommand.output(for: file.path, json: true, config: Self.config)
        let report = try JSONDecoder().decode(Report.self, from: Data(output.utf8))
        #expect(report.message.subject == "【一所一人一事】物理研究所推报材料（韩思远）")
        #expect(report.action == "correct")
        #expect(report.reply?.kind == "correct")
        #expect(report.reply?.subject == "【YS2018-0001】请补正材料：【一所一人一事】物理研究所推报材料（韩思远）")
    }
}
