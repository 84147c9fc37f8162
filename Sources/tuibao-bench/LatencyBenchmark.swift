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
//
// `--big-mb N`: every mail is instead sample 41 (a complete nomination whose mp4 passes every
// video rule) with its mp4 padded to N MiB by a top-level ISO-BMFF `free` box (before `moov`,
// which follows `mdat` in that file: a probe must skip the padding, as in a large video without
// faststart), unique per mail (a tag at the start of the box), base64 in the MIME as the sample
// has it. Duration and resolution are unchanged. Each mode then runs twice in the same
// invocation, first with the ordinary samples (the baseline; `--baseline no` leaves it out),
// then with the big mails, and the summary gives the ratio. The mails are built before
// `serve` starts, so building them takes no CPU from the work measured.
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
        case "--big-mb":
            guard let megabytes = Int(value), megabytes > 0 else { latencyUsage() }
            options.bigMegabytes = megabytes
        case "--baseline":
            guard value == "yes" || value == "no" else { latencyUsage() }
            options.baseline = value == "yes"
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
    usage: tuibao-bench latency [--mails N] [--modes idle,poll60,poll10] [--gap MIN-MAX] [--seed N]
                                [--big-mb N [--baseline yes|no]] [--repo DIR] [--tuibao PATH]
      modes: idle (IMAP IDLE; poll_interval 600 as the safety net), pollN (idle = false, poll_interval N)
      --big-mb N: every mail is sample 41 with its mp4 padded to N MiB (a `free` box); each mode runs
                  first with the ordinary samples as the baseline (--baseline no: not)

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
        /// Pad every mail's video to this many MiB (nil: the ordinary samples).
        var bigMegabytes: Int?
        /// With `bigMegabytes`: run each mode with the ordinary samples first.
        var baseline = true
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
    var results: [RunResult] = []

    /// One measured run: a mode with one kind of mail.
    struct RunResult {
        var mode: Mode
        /// Nil: the ordinary samples; else the video's MiB.
        var bigMegabytes: Int?
        /// From the start of each APPEND to its reply at the SMTP server.
        var latencies: [Double]
        /// From the end of each APPEND (the server has the message) to its reply.
        var afterDelivery: [Double]
        var missing: Int
        var sizes: [Int]

        var label: String {
            mode.label + (bigMegabytes.map { ", \($0) MiB video mails" } ?? ", sample mails")
        }
    }

    /// The sample the big mails are made of: a complete nomination (acknowledged) whose mp4,
    /// 1080×1920 and 360 s, passes every video rule and has its `moov` after `mdat`.
    static let bigSample = "41-coremail-portrait-video-lzb.eml"

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
        Self.say("mails=\(options.mails) gap=\(options.gap.lowerBound)-\(options.gap.upperBound)s seed=\(options.seed) samples=\(samples.count)"
                 + (options.bigMegabytes.map { " big_mb=\($0) big_sample=\(Self.bigSample) baseline=\(options.baseline ? "yes" : "no")" } ?? ""))
        for name in options.modes {
            let mode = Mode(name: name)!
            if let big = options.bigMegabytes {
                if options.baseline { try runMode(mode, samples: samples, bigMegabytes: nil) }
                try runMode(mode, samples: samples, bigMegabytes: big)
            } else {
                try runMode(mode, samples: samples, bigMegabytes: nil)
            }
        }
        Self.say("")
        Self.say("# mode | mails answered | p50 s | p95 s | max s | largest mail MB")
        for result in results {
            let sorted = result.latencies.sorted()
            Self.say("# \(result.label) | \(sorted.count)/\(sorted.count + result.missing) | \(Self.f(percentile(sorted, 0.5))) | "
                     + "\(Self.f(percentile(sorted, 0.95))) | \(Self.f(sorted.last ?? 0)) | \(Self.f(Double(result.sizes.max() ?? 0) / 1e6))")
        }
        for result in results where result.bigMegabytes != nil {
            let sorted = result.latencies.sorted()
            if let small = results.first(where: { $0.mode.name == result.mode.name && $0.bigMegabytes == nil }), !small.latencies.isEmpty {
                let base = small.latencies.sorted()
                Self.say("# \(result.mode.name): big/small ratio p50 \(Self.f(percentile(sorted, 0.5) / percentile(base, 0.5), 1))×, "
                         + "p95 \(Self.f(percentile(sorted, 0.95) / percentile(base, 0.95), 1))× (same invocation)")
            }
        }
        if let idle = results.first(where: { $0.mode.idle && $0.bigMegabytes == nil }) {
            let p95 = percentile(idle.latencies.sorted(), 0.95)
            Self.say("# goal: p95 under 3 s with IDLE for mails under 5 MB (largest here \(Self.f(Double(idle.sizes.max() ?? 0) / 1e6)) MB): \(p95 < 3 && idle.missing == 0 ? "met" : "MISSED") (\(Self.f(p95)) s)")
        }
        if let idle = results.first(where: { $0.mode.idle && $0.bigMegabytes != nil }) {
            let sorted = idle.latencies.sorted()
            let worst = sorted.last ?? 0
            Self.say("# goal: every \(idle.bigMegabytes!) MiB video mail answered within 10 s with IDLE (APPEND start to reply accepted): "
                     + "\(worst < 10 && idle.missing == 0 && !sorted.isEmpty ? "met" : "MISSED") (max \(Self.f(worst)) s, p95 \(Self.f(percentile(sorted, 0.95))) s; "
                     + "from the end of the APPEND: max \(Self.f(idle.afterDelivery.max() ?? 0)) s)")
        }
    }

    func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[max(0, min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
    }

    /// The mails of one run with the seconds to wait before each, built before `serve` starts.
    func buildMails(for mode: Mode, samples: [URL], bigMegabytes: Int?) throws -> [(gap: Double, id: String, message: Data)] {
        let big = try bigMegabytes.map { _ in try Data(contentsOf: options.repository.appendingPathComponent("Samples/mail/\(Self.bigSample)")) }
        var mails: [(gap: Double, id: String, message: Data)] = []
        for index in 1...options.mails {
            let gap = Double.random(in: options.gap, using: &random)
            let sample = samples[Int.random(in: 0..<samples.count, using: &random)]
            let kind = bigMegabytes.map { "big\($0)" } ?? "small"
            let id = "bench-\(mode.name)-\(kind)-\(index)-\(UUID().uuidString.prefix(8))@bench.example.cn"
            let raw: Data
            if let big, let megabytes = bigMegabytes {
                raw = try Self.withPaddedVideo(big, bytes: megabytes << 20, tag: id)
            } else {
                raw = try Data(contentsOf: sample)
            }
            mails.append((gap, id, Self.withMessageId(raw, id)))
        }
        return mails
    }

    /// The message with its video/mp4 part's file padded to `bytes` by `paddedMP4`, base64 in
    /// 76-character CRLF lines; every other byte as it was.
    static func withPaddedVideo(_ raw: Data, bytes: Int, tag: String) throws -> Data {
        guard let header = raw.range(of: Data("Content-Type: video/mp4".utf8)),
              let blank = raw.range(of: Data("\r\n\r\n".utf8), in: header.upperBound..<raw.endIndex),
              let end = raw.range(of: Data("\r\n--".utf8), in: blank.upperBound..<raw.endIndex) else {
            throw BenchError("\(bigSample): no base64 video/mp4 part")
        }
        guard let mp4 = Data(base64Encoded: raw.subdata(in: blank.upperBound..<end.lowerBound), options: .ignoreUnknownCharacters) else {
            throw BenchError("\(bigSample): the video part is not base64")
        }
        let padded = try paddedMP4(mp4, bytes: bytes, tag: tag)
        var out = Data(capacity: raw.count + padded.count * 4 / 3 + padded.count / 38)
        out.append(raw.subdata(in: raw.startIndex..<blank.upperBound))
        out.append(padded.base64EncodedData(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]))
        out.append(raw.subdata(in: end.lowerBound..<raw.endIndex))
        return out
    }

    /// The mp4 with a top-level `free` box that makes it `bytes` long: before `moov` when `moov`
    /// follows `mdat` (no chunk offset moves: they point into `mdat`), else at the end. The box
    /// starts with `tag`, so every mail's video is a file of its own; zeros after it.
    static func paddedMP4(_ mp4: Data, bytes: Int, tag: String) throws -> Data {
        let data = [UInt8](mp4)
        var boxes: [(type: String, offset: Int)] = []
        var offset = 0
        while offset + 8 <= data.count {
            let size = data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            // The samples use neither 64-bit sizes nor size 0.
            guard size >= 8, offset + size <= data.count else { throw BenchError("\(bigSample): a box the padding does not handle") }
            boxes.append((String(decoding: data[offset + 4..<offset + 8], as: UTF8.self), offset))
            offset += size
        }
        guard offset == data.count, let moov = boxes.first(where: { $0.type == "moov" }),
              let mdat = boxes.first(where: { $0.type == "mdat" }) else { throw BenchError("\(bigSample): not an mp4 with moov and mdat") }
        let padding = bytes - data.count
        let tagBytes = Array(tag.utf8)
        guard padding >= 8 + tagBytes.count, padding <= Int(UInt32.max) else { throw BenchError("--big-mb: cannot pad \(data.count) bytes to \(bytes)") }
        let at = moov.offset > mdat.offset ? moov.offset : data.count
        var out = Data(capacity: bytes)
        out.append(contentsOf: data[..<at])
        out.append(contentsOf: withUnsafeBytes(of: UInt32(padding).bigEndian, Array.init))
        out.append(contentsOf: Array("free".utf8) + tagBytes)
        out.append(Data(count: padding - 8 - tagBytes.count))
        out.append(contentsOf: data[at...])
        return out
    }

    func runMode(_ mode: Mode, samples: [URL], bigMegabytes: Int?) throws {
        let run = mode.name + (bigMegabytes.map { "-big\($0)" } ?? "")
        Self.progress("\(run): building \(options.mails) mails")
        let mails = try buildMails(for: mode, samples: samples, bigMegabytes: bigMegabytes)
        Self.progress("\(run): starting Dovecot, aiosmtpd and tuibao serve")
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
        var sent: [String: (start: Double, end: Double, size: Int)] = [:]
        for (index, mail) in mails.enumerated() {
            usleep(UInt32(mail.gap * 1e6))
            let start = Date().timeIntervalSince1970
            try appender.append(mail.message)
            sent[mail.id] = (start, Date().timeIntervalSince1970, mail.message.count)
            if (index + 1) % (bigMegabytes == nil ? 10 : 1) == 0 {
                Self.progress("\(run): \(index + 1)/\(mails.count) appended, \(smtp.received().count) replies")
            }
        }
        appender.logout()
        // Every reply, or give up a while after the slowest trigger could have come.
        let deadline = Date().addingTimeInterval(Double(mode.pollInterval) + 180 + (bigMegabytes == nil ? 0 : 30 * Double(mails.count)))
        while smtp.received().count < sent.count && Date() < deadline { usleep(200_000) }

        var latencies: [Double] = []
        var afterDelivery: [Double] = []
        var appends: [Double] = []
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
            afterDelivery.append(received - appended.end)
            appends.append(appended.end - appended.start)
        }
        let missing = sent.count - answered.count
        let sorted = latencies.sorted()
        let delivered = afterDelivery.sorted()
        Self.say("mode=\(mode.name) mails=\(bigMegabytes.map { "big\($0)MiB" } ?? "samples") idle=\(mode.idle) poll_interval=\(mode.pollInterval) "
                 + "answered=\(answered.count) missing=\(missing) "
                 + "p50=\(Self.f(percentile(sorted, 0.5))) p95=\(Self.f(percentile(sorted, 0.95))) max=\(Self.f(sorted.last ?? 0)) "
                 + "min=\(Self.f(sorted.first ?? 0)) largest_mail_bytes=\(sent.values.map(\.size).max() ?? 0)")
        Self.say("mode=\(mode.name) after_append p50=\(Self.f(percentile(delivered, 0.5))) p95=\(Self.f(percentile(delivered, 0.95))) "
                 + "max=\(Self.f(delivered.last ?? 0)) append_max=\(Self.f(appends.max() ?? 0))")
        // What intake decided (the big mails must all be acknowledged: their padded mp4 was read
        // as the 1080×1920, 360 s video it is).
        var actions: [String: Int] = [:]
        for rowId in Int64(1)...Int64(sent.count) {
            guard let row = try? store.read({ try $0.message(id: rowId) }) else { continue }
            actions[row.action.map { "\($0.rawValue)" } ?? row.status.rawValue, default: 0] += 1
        }
        Self.say("mode=\(mode.name) actions=\(actions.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ","))")
        Self.say("mode=\(mode.name) latencies=\(latencies.map { Self.f($0) }.joined(separator: ","))")
        results.append(RunResult(mode: mode, bigMegabytes: bigMegabytes, latencies: latencies, afterDelivery: afterDelivery,
                              missing: missing, sizes: sent.values.map(\.size)))
        kill(serve.processIdentifier, SIGTERM)
        serve.waitUntilExit()
        // The service's log, for where the time went (bench-out/ when the script made it).
        let out = options.repository.appendingPathComponent("bench-out")
        if FileManager.default.fileExists(atPath: out.path) {
            let copy = out.appendingPathComponent("latency-serve-\(run).log")
            try? FileManager.default.removeItem(at: copy)
            try? FileManager.default.copyItem(at: log, to: copy)
        }
    }
}
