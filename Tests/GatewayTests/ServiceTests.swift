import Foundation
import Store
import TestSupport
import Testing
@testable import Gateway

@Suite("Operating the service: doctor and a clean stop", .serialized)
struct ServiceTests {
    struct Finding: Decodable {
        var check: String
        var status: String
        var message: String
    }

    func findings(_ output: String) throws -> [Finding] {
        try JSONDecoder().decode([Finding].self, from: Data(output.utf8))
    }

    @Test("doctor: IMAP over STARTTLS (login, ID, select) and SMTP (EHLO, STARTTLS, AUTH) all pass; nothing fetched or sent")
    func doctorPasses() throws {
        let imap = try DovecotServer(mode: .starttls)
        let smtp = try SMTPTestServer(tls: true, auth: ("xcb", "smtp-口令"))
        let workspace = try TestWorkspace(imap: imap, smtp: smtp)
        defer { imap.remove(); smtp.remove(); workspace.remove() }
        try imap.deliver(PollerTests.message(1), name: "m1")
        let result = try workspace.run(["doctor", "--json"], environment: [
            "TUIBAO_IMAP_PASSWORD": imap.password, "TUIBAO_SMTP_PASSWORD": "smtp-口令"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        let found = try findings(result.output)
        #expect(found.filter { $0.status != "ok" }.isEmpty, "\(found)")
        let checks = Dictionary(grouping: found, by: \.check)
        #expect(Set(checks.keys) == ["config", "data-dir", "templates", "units", "imap", "imap-idle", "smtp"])
        #expect(checks["imap-idle"]?.first?.message.contains("服务器支持 IDLE") == true)
        #expect(checks["imap"]?.first?.message.contains("1 封邮件") == true)
        #expect(checks["smtp"]?.first?.message.contains("EHLO + AUTH OK") == true)
        #expect(imap.log().contains("ID sent: name=tuibao"))
        #expect(imap.count(in: "INBOX") == 1)
        #expect(smtp.received().isEmpty && smtp.dataAttempts == 0)
    }

    @Test("doctor: wrong passwords fail with the server and account named, never the password; exit status 1")
    func doctorWrongPasswords() throws {
        let imap = try DovecotServer(mode: .tls)
        let smtp = try SMTPTestServer(tls: true, auth: ("xcb", "smtp-口令"))
        let workspace = try TestWorkspace(imap: imap, smtp: smtp)
        defer { imap.remove(); smtp.remove(); workspace.remove() }
        let result = try workspace.run(["doctor"], environment: [
            "TUIBAO_IMAP_PASSWORD": "imap-错-111", "TUIBAO_SMTP_PASSWORD": "smtp-错-222"])
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n")
        #expect(lines.contains { $0.contains("imap") && $0.contains("失败") && $0.contains("xcb@127.0.0.1") && $0.contains("login refused") })
        #expect(lines.contains { $0.contains("smtp") && $0.contains("失败") && $0.contains("xcb@127.0.0.1") })
        #expect(result.output.contains("2 项检查失败"))
        for secret in ["imap-错-111", "smtp-错-222"] {
            #expect(!result.output.contains(secret) && !result.error.contains(secret))
        }
    }

    /// Points the workspace at a copy of Config/templates that lacks one file.
    static func useTemplates(in workspace: TestWorkspace, without name: String) throws {
        let templates = workspace.directory.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: TestWorkspace.repositoryRoot.appendingPathComponent("Config/templates"), to: templates)
        try FileManager.default.removeItem(at: templates.appendingPathComponent(name))
        let config = try String(contentsOf: workspace.configFile, encoding: .utf8)
            .replacing(/templates_dir = "[^"]*"/, with: #"templates_dir = "templates""#)
        try config.write(to: workspace.configFile, atomically: true, encoding: .utf8)
    }

    @Test("doctor --offline: a data directory open to other users is a warning; a missing template fails")
    func doctorLocal() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let data = workspace.directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        chmod(data.path, 0o777)
        var result = try workspace.run(["doctor", "--offline", "--json"])
        #expect(result.status == 0)
        let warning = try findings(result.output).first { $0.check == "data-dir" && $0.status == "warning" }
        #expect(warning?.message.contains("mode 777") == true)

        try Self.useTemplates(in: workspace, without: "correct.mustache")
        result = try workspace.run(["doctor", "--offline", "--json"])
        #expect(result.status == 1)
        let failed = try findings(result.output).first { $0.status == "failed" }
        #expect(failed?.check == "templates")
        #expect(failed?.message.contains("correct.mustache") == true)
    }

    @Test("doctor --offline with [review]: the review mail templates are checked too; a missing one fails")
    func doctorReviewTemplates() throws {
        let workspace = try TestWorkspace(extra: """
            [review]
            criteria = [{ name = "感染力", weight = 1 }]
            reviewers_per_deed = 1
            [[review.reviewer]]
            name = "甲"
            address = "jia@iphy.ac.cn"
            unit = "物理所"
            """)
        defer { workspace.remove() }
        var result = try workspace.run(["doctor", "--offline", "--json"])
        #expect(try findings(result.output).first { $0.check == "templates" }?.message.hasPrefix("三个回复模板和两个评审邮件模板均可渲染") == true)
        try Self.useTemplates(in: workspace, without: "review-receipt.mustache")
        result = try workspace.run(["doctor", "--offline", "--json"])
        #expect(result.status == 1)
        let failed = try findings(result.output).first { $0.status == "failed" }
        #expect(failed?.check == "templates")
        #expect(failed?.message.contains("review-receipt.mustache") == true)
    }

    @Test("serve: SIGTERM mid-run stops within seconds with status 0; every message is either filed and moved or untouched")
    func serveStopsCleanly() throws {
        let imap = try DovecotServer()
        let workspace = try TestWorkspace(imap: imap)
        defer { imap.remove(); workspace.remove() }
        for index in 1...120 { try imap.deliver(PollerTests.message(index), name: "m\(index)") }
        let process = Process()
        process.executableURL = TestWorkspace.binary
        process.arguments = ["serve", "--config", workspace.configFile.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["TUIBAO_IMAP_PASSWORD": imap.password]) { $1 }
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        // Wait until the poller is part-way through, then ask it to stop.
        let deadline = Date().addingTimeInterval(60)
        while imap.count(in: "Processed") < 5 && Date() < deadline { usleep(20_000) }
        kill(process.processIdentifier, SIGTERM)
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(log)")
        // Every log line starts with the campaign's clock: ISO 8601, milliseconds, +08:00.
        let lines = log.split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00 (trace|debug|info|notice|warning|error|critical) .+/) != nil },
                "\(log)")

        // Graceful: the message in hand was finished, so the database and the mailbox agree exactly.
        let filed = try workspace.pipeline().count(MessageRecord.self)
        #expect(filed == imap.count(in: "Processed"))
        #expect(filed + imap.count(in: "INBOX") == 120)
        #expect(imap.count(in: "INBOX") > 0, "stopped only after draining: SIGTERM came too late to test")

        let rest = try workspace.run(["poll", "--once"], environment: ["TUIBAO_IMAP_PASSWORD": imap.password])
        #expect(rest.status == 0)
        #expect(imap.count(in: "Processed") == 120)
        #expect(try workspace.pipeline().count(SubmissionRecord.self) == 120)
    }
}

@Suite("The systemd unit")
struct SystemdUnitTests {
    /// The unit as shipped, with ExecStart pointing at the binary just built (verify checks it exists).
    func unitForThisBuild() throws -> URL {
        let shipped = try String(contentsOf: TestWorkspace.repositoryRoot.appendingPathComponent("systemd/tuibao.service"), encoding: .utf8)
        #expect(shipped.contains("ExecStart=/usr/local/bin/tuibao serve"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let unit = directory.appendingPathComponent("tuibao.service")
        try shipped.replacingOccurrences(of: "/usr/local/bin/tuibao", with: TestWorkspace.binary.path)
            .write(to: unit, atomically: true, encoding: .utf8)
        return unit
    }

    func analyze(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test("systemd-analyze verify accepts the unit without a single complaint")
    func verify() throws {
        let unit = try unitForThisBuild()
        defer { try? FileManager.default.removeItem(at: unit.deletingLastPathComponent()) }
        let result = try analyze(["verify", unit.path])
        #expect(result.status == 0)
        #expect(result.output.isEmpty, "\(result.output)")
    }

    @Test("systemd-analyze security rates the unit's exposure 1.2 (OK): the figure in the README")
    func exposure() throws {
        let unit = try unitForThisBuild()
        defer { try? FileManager.default.removeItem(at: unit.deletingLastPathComponent()) }
        let result = try analyze(["security", "--offline=true", unit.path])
        let line = result.output.split(separator: "\n").first { $0.contains("Overall exposure level") }
        #expect(line?.contains(": 1.2 OK") == true, "\(line ?? "")")
        let readme = try String(contentsOf: TestWorkspace.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("exposure level 1.2"))
    }
}
