import Foundation
import TestSupport
import Testing

/// The hardened unit has a private /tmp and a read-only file system outside its state
/// directory: intake must need nothing outside the data directory. Here the system temporary
/// directory does not exist at all, and mails whose materials are inside a zip and a
/// winmail.dat are still read, filed and answered exactly as in a normal run.
@Suite("Scratch space lives in the data directory")
struct ScratchSpaceTests {
    @Test("ingest with no usable TMPDIR: archive members read, nothing left in work/", arguments: [
        "37-outlook2016-zip-gbk-dicp", "43-outlook-rtf-winmail-simm",
    ])
    func noTemporaryDirectory(_ sample: String) throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let mail = TestWorkspace.sample(sample)
        let expected = try SampleIntakeTests.ingest([mail], in: workspace)  // a normal run, for comparison
        let isolated = try TestWorkspace()
        defer { isolated.remove() }
        // Under a plain file: not even root can make a directory there.
        let notADirectory = isolated.directory.appendingPathComponent("not-a-directory")
        try Data().write(to: notADirectory)
        let result = try isolated.run(["ingest", "--json", mail.path],
                                      environment: ["TMPDIR": notADirectory.appendingPathComponent("tmp").path,
                                                    "TUIBAO_NOW": "2018-05-14T01:31:00Z"])
        #expect(result.status == 0, "\(result.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(SampleIntakeTests.submissions(json["submissions"]) == expected[0].submissions)
        #expect(expected[0].submissions.allSatisfy { !$0.problems.contains("essay.unreadable") && !$0.problems.contains("form.missing") })
        // The members were kept in the store, and the scratch folders are gone.
        let work = isolated.directory.appendingPathComponent("data/work")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).isEmpty)
    }
}
