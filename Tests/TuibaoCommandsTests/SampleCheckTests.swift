import Foundation
import TestSupport
import Testing
@testable import TuibaoCommands

/// Every sample mail's material check must give exactly its golden `.check.json`: the action,
/// one submission per form with its nominee and problem codes, and what could not be assigned.
/// `scripts/make-samples` writes those from what it put into each mail (sizes, 字数, durations,
/// resolutions, which files are unsafe), never from this checker.
@Suite("Samples: golden material checks")
struct SampleCheckTests {
    static let mails = TestPaths.files(in: TestPaths.samples.appendingPathComponent("mail"), suffixes: [".eml"])
    static let config = TestPaths.repositoryRoot.appendingPathComponent("Config/tuibao.toml").path

    struct Golden: Decodable, Equatable {
        struct Submission: Decodable, Equatable {
            var nominee: String?
            var problems: [String]
        }
        var action: String
        var submissions: [Submission]
        var unassigned: [String]
    }

    struct Report: Decodable {
        struct Submission: Decodable {
            struct Problem: Decodable { var code: String }
            var nominee: String?
            var problems: [Problem]
        }
        var action: String
        var submissions: [Submission]
        var unassigned: [String]
    }

    @Test("every sample has a golden check, and every problem code of the domain is produced by one", arguments: [0])
    func coverage(_: Int) throws {
        var codes = Set<String>()
        for mail in Self.mails {
            let golden = mail.deletingPathExtension().appendingPathExtension("check.json")
            #expect(FileManager.default.fileExists(atPath: golden.path), "no .check.json for \(mail.lastPathComponent)")
            guard let data = try? Data(contentsOf: golden) else { continue }
            let decoded = try JSONDecoder().decode(Golden.self, from: data)
            codes.formUnion(decoded.submissions.flatMap(\.problems))
        }
        // The duplicate codes belong to earlier campaigns (issue 5), not to a single mail's materials.
        let expected: Set<String> = ["form.missing", "form.incomplete", "material.missing", "essay.tooShort", "essay.tooLong",
                                     "essay.unreadable", "image.missing", "image.tooSmall", "video.notMp4", "video.tooShort",
                                     "video.tooLong", "video.lowResolution", "video.unreadable", "attachment.unsafe",
                                     "video.pendingLink", "sender.unknown", "nominee.leader"]
        #expect(expected.subtracting(codes).isEmpty, "not produced by any sample: \(expected.subtracting(codes).sorted())")
    }

    @Test("check --json gives the golden action, nominations and problem codes", arguments: mails)
    func golden(_ mail: URL) throws {
        let goldenFile = mail.deletingPathExtension().appendingPathExtension("check.json")
        let expected = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: goldenFile))
        let output = try CheckCommand.output(for: mail.path, json: true, config: Self.config)
        let report = try JSONDecoder().decode(Report.self, from: Data(output.utf8))
        let actual = Golden(action: report.action,
                            submissions: report.submissions.map { .init(nominee: $0.nominee, problems: $0.problems.map(\.code).sorted()) },
                            unassigned: report.unassigned)
        #expect(actual == expected, "\(mail.lastPathComponent)")
    }
}
