import Foundation
import GRDB
import Store
import TestSupport
import Testing
@testable import Gateway

/// The pipeline run as separate processes, the way the service and a clerk's CLI share a data
/// directory, and killed at the points between spool and commit.
@Suite("Intake across processes and crashes", .serialized)
struct CrashSafetyTests {
    @Test("two processes ingest the same file at once: one message, one submission, one reply",
          arguments: 1...3)
    func concurrentIngest(_ round: Int) throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        try workspace.run(["ingest", TestWorkspace.sample("05-163-gb18030-names").path, "--json"]) // creates the schema
        let file = TestWorkspace.sample("07-applemail-video-nao").path
        let processes = try (0..<2).map { _ in try workspace.start(["ingest", file]) }
        processes.forEach { $0.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let pipeline = try workspace.pipeline()
        #expect(try pipeline.count(MessageRecord.self) == 2)
        #expect(try pipeline.count(SubmissionRecord.self) == 2)
        #expect(try pipeline.count(VersionRecord.self) == 2)
        #expect(try pipeline.count(ReplyRecord.self) == 2)
    }

    @Test("killed between spool and commit, then run again: nothing lost, nothing doubled",
          arguments: [FaultPoint.afterSpool, .afterArrival, .afterFiles, .beforeCommit])
    func crashAndRetry(_ point: FaultPoint) throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let file = TestWorkspace.sample("08-forward-rfc822-dicp").path
        let crashed = try workspace.run(["ingest", file], environment: ["TUIBAO_FAULT": point.rawValue])
        #expect(crashed.status == 86)
        let retried = try workspace.run(["ingest", file, "--json"])
        #expect(retried.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(retried.output.utf8)) as? [String: Any]
        #expect(report?["status"] as? String == "filed")
        #expect(report?["trackingNumber"] as? String == "YS2018-0001")
        let pipeline = try workspace.pipeline()
        #expect(try pipeline.count(MessageRecord.self) == 1)
        #expect(try pipeline.count(SubmissionRecord.self) == 1)
        #expect(try pipeline.count(FileRecord.self) == 3)
        #expect(try pipeline.count(ReplyRecord.self) == 1)
        // No half-written leftovers in the spool's temp folder once a retry went through.
        let spooled = try FileManager.default.subpathsOfDirectory(atPath: pipeline.store.spool.directory.path)
            .filter { $0.hasSuffix(".eml") }
        #expect(spooled.count == 1)
    }
}
