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
    @Test("eight processes open a new data directory at once (the service starting while a clerk asks): every one succeeds",
          arguments: 1...12)
    func concurrentFirstOpen(_ round: Int) throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        // Before opening was serialised, about one open in a hundred lost the switch to WAL
        // ("database is locked" at once): the demo's `serve` died of it beside `status`.
        let processes = try (0..<8).map { index in
            let process = Process()
            process.executableURL = TestWorkspace.binary
            process.arguments = [index % 2 == 0 ? "status" : "queue", "--json", "--config", workspace.configFile.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = Pipe()
            try process.run()
            return process
        }
        for process in processes {
            let error = String(decoding: (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(error)")
        }
        #expect(try workspace.pipeline().store.appliedMigrations().count == 14)
    }

    @Test("two processes ingest the same file at once: one message, one submission, one reply",
          arguments: 1...3)
    func concurrentIngest(_ round: Int) throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        try workspace.run(["ingest", TestWorkspace.sample("05-163-gb18030-names").path, "--json"]) // creates the schema
        let file = TestWorkspace.sample("07-applemail-video-nao").path
        let processes = try (0..<2).map { _ in
            let process = Process()
            process.executableURL = TestWorkspace.binary
            process.arguments = ["ingest", file, "--json", "--config", workspace.configFile.path]
            process.standardOutput = Pipe()
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        // The two really overlapped: the first was still at work when the second had started.
        #expect(processes[0].isRunning)
        let reports = processes.map { process in
            let data = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        // One filed it, the other found it taken in; both name the same tracking number.
        #expect(reports.compactMap { $0?["alreadyProcessed"] as? Bool }.sorted { !$0 && $1 } == [false, true])
        #expect(reports.map { $0?["trackingNumber"] as? String } == ["YS2018-0002", "YS2018-0002"])
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
        #expect(crashed.status == 86)  // only FaultPoint.hit() exits with 86: it died at `point`
        // ... and left intake half done, as that point implies: the raw message spooled, then the
        // message row (status received), then the 3 attachments in
        // the file store; never a submission, file record or reply (the decision is one transaction).
        let halfDone = try workspace.pipeline()
        let spooledAtCrash = try FileManager.default.subpathsOfDirectory(atPath: halfDone.store.spool.directory.path)
            .filter { $0.hasSuffix(".eml") }
        #expect(spooledAtCrash.count == 1)
        let rows = try halfDone.store.database.read { db in try MessageRecord.fetchAll(db) }
        #expect(rows.map(\.status) == (point == .afterSpool ? [] : [.received]))
        // The process was killed, not the work on this message: no attempt counted against it.
        #expect(rows.map(\.attempts) == (point == .afterSpool ? [] : [0]))
        let blobs = (try? FileManager.default.subpathsOfDirectory(atPath: halfDone.store.files.directory.path)) ?? []
        let storedFiles = blobs.filter { $0.split(separator: "/").last?.count == 64 }  // files/ab/cd/<sha256>
        #expect(storedFiles.count == ([.afterFiles, .beforeCommit].contains(point) ? 3 : 0), "\(blobs)")
        #expect(try halfDone.count(SubmissionRecord.self) == 0)
        #expect(try halfDone.count(FileRecord.self) == 0)
        #expect(try halfDone.count(ReplyRecord.self) == 0)

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
