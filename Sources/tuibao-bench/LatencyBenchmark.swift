// The latency benchmark (issue "A receipt within seconds"): a private Dovecot and an aiosmtpd
// on loopback, `tuibao serve` running, N sample mails APPENDed to the INBOX at random intervals
// as a delivering server would (IMAP APPEND, no flags); for each, the seconds from the start of
// its APPEND to its reply arriving at the SMTP server (aiosmtpd's clock, the same machine).
// Run once per mode in one go: IDLE, then IDLE off with poll_interval 60 and 10. Each mode gets
// a fresh Dovecot, SMTP server and data directory. Prints key=value lines and a summary.
//
// The mails: the samples of Samples/mail that get a reply (all but the auto-reply and the
// bounce; all under 5 MB), drawn with a fixed seed; each gets a Message-ID of its own so it is a
// new message (not a repeat delivery) and its reply can be found by In-Reply-To. Reply limits
// are lifted in the bench's configuration so every mail is answered.
import Foundation
import TestSupport

func latencyBenchmark(_ arguments: [String]) {
    var options = LatencyBenchmark.Options()
    var rest = arguments[...]
    while let option = rest.first {
        rest = rest.dropFirst()
        guard let value = rest.first else { latencyUsage() }
        rest = rest.dropFirst()
        switch option {
        case "--mails": options.mails = Int(value) ?? 0
        case "--modes": options.modes = value.split(separator: ",").map(String.init)
        case "--gap":
            let parts = value.split(separator: "-").compactMap { Double($0) }
            guard parts.count == 2 else { latencyUsage() }
            options.gap = parts[0]...parts[1]
        case "--seed": options.seed = UInt64(value) ?? 2018
        case "--repo": options.repository = URL(fileURLWithPath: value)
        case "--tuibao": options.tuibao = URL(fileURLWithPath: value)
        default: latencyUsage()
        }
    }
    guard options.mails > 0, options.modes.allSatisfy({ LatencyBenchmark.Mode(name: $0) != nil }) else { latencyUsage() }
    do {
        try LatencyBenchmark(options: options).run()
    } catch {
        FileHandle.standardError.write(Data("tuibao-bench: \(error)\n".utf8))
        exit(1)
    }
}

private func latencyUsage() -> Never {
    FileHandle.standardError.write(Data("""
    usage: tuibao-bench latency [--mails N] [--modes idle,poll60,poll10] [--gap MIN-MAX] [--seed N] [--repo DIR] [--tuibao PATH]
      modes: idle (IMAP IDLE; poll_interval 600 as the safety net), pollN (idle = false, poll_interval N)

    """.utf8))
    exit(2)
}

final class LatencyBenchmark {
    struct Options {
        var mails = 50
        var modes = ["idle", "poll60", "poll10"]
        /// Seconds between two APPENDs, drawn uniformly.
        var gap: ClosedRange<Double> = 0.5...6
        var seed: UInt64 = 2018
        var repository = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var tuibao = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("tuibao")
    }

    struct Mode {
        var name: String
        var idle: Bool
        var pollInterval: Int

        init?(name: String) {
            self.name = name
            if name == "idle" {
                (idle, pollInterval) = (true, 600)
            } else if name.hasPrefix("poll"), let seconds = Int(name.dropFirst(4)), seconds > 0 {
                (idle, pollInterval) = (false, seconds)
            } else {
                return nil
            }
        }

        var label: String { idle ? "IDLE (poll_interval 600 as safety net)" : "no IDLE, poll_interval \(pollInterval)" }
    }

    let options: Options
    var random: SeededRandom
    var results: [(mode: Mode, latencies: [Double], missing: Int, sizes: [Int])] = []

    init(options: Options) {
        self.options = options
        random = SeededRandom(state: options.seed)
    }

    static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    static func progress(_ line: String) { FileHandle.standardError.write(Data("bench-latency: \(line)\n".utf8)) }
    static func f(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

    /// The samples that are answered (not the auto-reply, not the bounce), by their intake golden.
    func samples() throws -> [URL] {
        let folder = options.repository.appendingPathComponent("Samples/mail")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.sorted().compactMap { name in
            let golden = folder.appendingPathComponent(name.replacingOccurrences(of: ".eml", with: ".intake.json"))
            let text = (try? String(contentsOf: golden, encoding: .utf8)) ?? ""
            return text.contains("\"ignored\"") ? nil : folder.appendingPathComponent(name)
        }
    }

    /// The message with a Message-ID of its own (any other Message-ID header dropped), byte for
    /// byte otherwise (headers may be raw 8-bit GB18030).
    static func withMessageId(_ data: Data, _ id: String) -> Data {
        let bytes = [UInt8](data)
        let newlineAt = bytes.firstIndex(of: UInt8(ascii: "\n"))
        let newline = newlineAt.map { $0 > 0 && bytes[$0 - 1] == UInt8(ascii: "\r") } ?? true ? "\r\n" : "\n"
        var output = Data("Message-ID: <\(id)>\(newline)".utf8)
        var position = 0
        var dropping = false
        while position < bytes.count {
            let end = bytes[position...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.count
            let line = bytes[position..<end]
            if line.first == UInt8(ascii: "\r") || line.first == UInt8(ascii: "\n") {
                output.append(contentsOf: bytes[position...])  // the blank line and the body
                return output
            }
            let folded = line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t")
            if !folded { dropping = String(decoding: line.prefix(11), as: UTF8.self).lowercased() == "message-id:" }
            if !dropping { output.append(contentsOf: line) }
            position = end
        }
        return output
    }

    func run() throws {
        let samples = try samples()
        guard !samples.isEmpty else { throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "no samples"]) }
        guard FileManager.default.isExecutableFile(atPath: options.tuibao.path) else {
            throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "no tuibao at \(options.tuibao.path)"])
        }
        Self.say("date=\(ISO8601DateFormatter().string(from: Date()))")
        Self.say("nproc=\(ProcessInfo.processInfo.activeProcessorCount)")
        Self.say("mails=\(options.mails) gap=\(options.gap.lowerBound)-\(options.gap.upperBound)s seed=\(options.seed) samples=\(samples.count)")
        for name in options.modes {
            try runMode(Mode(name: name)!, samples: samples)
        }
        Self.say("")
        Self.say("# mode | mails answered | p50 s | p95 s | max s")
        for result in results {
            let sorted = result.latencies.sorted()
            Self.say("# \(result.mode.label) | \(sorted.count)/\(sorted.count + result.missing) | \(Self.f(percentile(sorted, 0.5))) | \(Self.f(percentile(sorted, 0.95))) | \(Self.f(sorted.last ?? 0))")
        }
        if let idle = results.first(where: { $0.mode.idle }) {
            let p95 = percentile(idle.latencies.sorted(), 0.95)
            Self.say("# goal: p95 under 3 s with IDLE for mails under 5 MB (largest here \(Self.f(Double(idle.sizes.max() ?? 0) / 1e6)) MB): \(p95 < 3 && idle.missing == 0 ? "met" : "MISSED") (\(Self.f(p95)) s)")
        }
    }

    func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[max(0, min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
    }

    func runMode(_ mode: Mode, samples: [URL]) throws {
        Self.progress("mode \(mode.name): starting Dovecot, aiosmtpd and tuibao serve")
        let imap = try DovecotServer()
        let smtp = try SMTPTestServer()
        let workspace = try TestWorkspace(imap: imap, smtp: smtp, extra: """
            [replies]
            max_per_sender = 100000
            identical_within_hours = 0
            """, imapExtra: "poll_interval = \(mode.pollInterval)\nidle = \(mode.idle)", smtpExtra: "send_interval = 15")
        defer { imap.remove(); smtp.remove(); workspace.remove() }
        let serve = Process()
        serve.executableURL = options.tuibao
        serve.arguments = ["serve", "--config", workspace.configFile.path]
        serve.environment = ProcessInfo.processInfo.environment.merging(["TUIBAO_IMAP_PASSWORD": imap.password]) { $1 }
        serve.standardOutput = FileHandle.nullDevice
        let log = workspace.directory.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        serve.standardError = try FileHandle(forWritingTo: log)
        try serve.run()
        defer {
            if serve.isRunning { kill(serve.processIdentifier, SIGTERM); serve.waitUntilExit() }
        }
        // Ready: idling, or (polling) the first poll done.
        let store = try workspace.pipeline().store
        let ready = Date().addingTimeInterval(60)
        while Date() < ready {
            if mode.idle ? !imap.idlingProcesses().isEmpty : (try? store.checkpoint(for: "INBOX").lastPollAt) != nil { break }
            usleep(50_000)
        }

        let appender = try IMAPAppender(port: imap.port, username: imap.username, password: imap.password)
        var sent: [String: (start: Double, size: Int)] = [:]
        for index in 1...options.mails {
            usleep(UInt32(Double.random(in: options.gap, using: &random) * 1e6))
            let sample = samples[Int.random(in: 0..<samples.count, using: &random)]
            let id = "bench-\(mode.name)-\(index)-\(UUID().uuidString.prefix(8))@bench.example.cn"
            let message = Self.withMessageId(try Data(contentsOf: sample), id)
            let start = Date().timeIntervalSince1970
            try appender.append(message)
            sent[id] = (start, message.count)
            if index % 10 == 0 { Self.progress("mode \(mode.name): \(index)/\(options.mails) appended, \(smtp.received().count) replies") }
        }
        appender.logout()
        // Every reply, or give up a while after the slowest trigger could have come.
        let deadline = Date().addingTimeInterval(Double(mode.pollInterval) + 180)
        while smtp.received().count < sent.count && Date() < deadline { usleep(200_000) }

        var latencies: [Double] = []
        var answered: Set<String> = []
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: smtp.directory.path)) ?? []).filter({ $0.hasSuffix(".json") }).sorted() {
            let base = smtp.directory.appendingPathComponent(String(name.dropLast(5)))
            guard let json = try? JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathExtension("json"))) as? [String: Any],
                  let received = json["received"] as? Double,
                  let raw = try? Data(contentsOf: base.appendingPathExtension("eml")) else { continue }
            let text = String(decoding: raw.prefix(8192), as: UTF8.self)
            guard let range = text.range(of: #"In-Reply-To: <([^>]+)>"#, options: .regularExpression) else { continue }
            let id = String(text[range]).dropFirst("In-Reply-To: <".count).dropLast()
            guard let appended = sent[String(id)], !answered.contains(String(id)) else { continue }
            answered.insert(String(id))
            latencies.append(received - appended.start)
        }
        let missing = sent.count - answered.count
        let sorted = latencies.sorted()
        Self.say("mode=\(mode.name) idle=\(mode.idle) poll_interval=\(mode.pollInterval) answered=\(answered.count) missing=\(missing) "
                 + "p50=\(Self.f(percentile(sorted, 0.5))) p95=\(Self.f(percentile(sorted, 0.95))) max=\(Self.f(sorted.last ?? 0)) "
                 + "min=\(Self.f(sorted.first ?? 0)) largest_mail_bytes=\(sent.values.map(\.size).max() ?? 0)")
        Self.say("mode=\(mode.name) latencies=\(latencies.map { Self.f($0) }.joined(separator: ","))")
        results.append((mode, latencies, missing, sent.values.map(\.size)))
        kill(serve.processIdentifier, SIGTERM)
        serve.waitUntilExit()
    }
}
