// The intake scale benchmark (issue "One record per deed", item 6): N mails through the real
// pipeline (`IntakePipeline.ingest(fileAt:)`, what `tuibao ingest` and the poller run) into a
// fresh data directory, then the staff commands as processes of the release `tuibao` binary
// against that store, after the first 1,000 mails and at the end. Prints key=value lines and a
// short summary (lines starting with "# ").
//
// The mails: the 43 samples of Samples/mail first, in order; then, drawn with a fixed seed,
// 60 % new deeds, 15 % resends, 10 % supplements, 10 % corrections in reply, 5 % colleagues'
// copies (see IntakeMailFactory for how each is made).
import Foundation
import Gateway
import Intake
import Store

func intakeBenchmark(_ arguments: [String]) {
    var options = IntakeBenchmark.Options()
    var rest = arguments[...]
    while let option = rest.first {
        rest = rest.dropFirst()
        if option == "--keep" { options.keep = true; continue }
        guard let value = rest.first else { intakeUsage() }
        rest = rest.dropFirst()
        switch option {
        case "--mails": options.mails = number(value)
        case "--measure-at": options.measureAt = number(value)
        case "--slice": options.slice = number(value)
        case "--runs": options.runs = number(value)
        case "--budget": options.budgetSeconds = number(value)
        case "--seed": options.seed = number(value)
        case "--repo": options.repository = URL(fileURLWithPath: value)
        case "--tuibao": options.tuibao = URL(fileURLWithPath: value)
        case "--dir": options.directory = URL(fileURLWithPath: value)
        case "--copies-of-one": options.copiesOfOne = number(value)
        default: intakeUsage()
        }
    }
    guard options.mails > 0, options.slice > 0, options.runs > 0 else { intakeUsage() }
    do {
        try IntakeBenchmark(options: options).run()
    } catch {
        FileHandle.standardError.write(Data("tuibao-bench: \(error)\n".utf8))
        exit(1)
    }
}

private func number<T: LosslessStringConvertible>(_ text: String) -> T {
    guard let value = T(text) else { intakeUsage() }
    return value
}

private func intakeUsage() -> Never {
    FileHandle.standardError.write(Data("""
    usage: tuibao-bench intake [--mails N] [--measure-at N] [--slice N] [--runs N] [--budget SECONDS] [--seed N]
                               [--repo DIR] [--tuibao PATH] [--dir DIR] [--keep] [--copies-of-one N]

    """.utf8))
    exit(2)
}

final class IntakeBenchmark {
    struct Options {
        var mails = 10_000
        /// The first measurement of the staff commands, after this many mails (and again at the end).
        var measureAt = 1_000
        /// Mails per timed slice.
        var slice = 1_000
        /// Runs of each staff command per measurement…
        var runs = 20
        /// …unless they take longer than this in all (at least 3 runs are made).
        var budgetSeconds = 120.0
        var seed: UInt64 = 2018
        var repository = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        /// The release `tuibao` binary: by default beside this program.
        var tuibao = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("tuibao")
        var directory: URL?
        var keep = false
        /// After the run: this many further copies of one deed (resends and colleagues' copies
        /// alternately), timed copy by copy — the cost of a copy against the number before it.
        var copiesOfOne = 0
    }

    enum Kind: String, CaseIterable {
        case sample, new, resend, supplement, correction, copy
    }

    struct KindStats {
        var milliseconds: [Double] = []
        var outcomes: [String: Int] = [:]
        var newSubmissions = 0
        var newVersions = 0
    }

    let options: Options
    let directory: URL
    let mailDirectory: URL
    let configFile: URL
    var random: SeededRandom
    var deeds: [BenchDeed] = []
    var trackingNumbers: [String] = []
    var stats: [Kind: KindStats] = [:]
    var sliceSeconds: [Double] = []
    /// CPU seconds per mail of each slice: this process and its children (the examiner worker).
    var sliceCPUSeconds: [Double] = []
    var ingestSeconds = 0.0
    var generateSeconds = 0.0
    var errors = 0
    var goals: [(String, Bool)] = []
    var measured: [(mails: Int, submissions: Int, command: String, p50: Double, p99: Double)] = []
    var storeLine = ""

    init(options: Options) {
        self.options = options
        directory = options.directory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("tuibao-bench-intake-\(getpid())")
        mailDirectory = directory.appendingPathComponent("mails")
        configFile = directory.appendingPathComponent("tuibao.toml")
        random = SeededRandom(state: options.seed)
    }

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func progress(_ line: String) {
        FileHandle.standardError.write(Data("bench-intake: \(line)\n".utf8))
    }

    static func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

    func writeConfiguration() throws {
        let config = options.repository.appendingPathComponent("Config")
        // As the tests' workspace (Tests/TestSupport/TestWorkspace.swift): templates and units from Config/.
        try """
        data_dir = "data"
        own_addresses = ["xcb@cashq.ac.cn"]
        reply_domain = "cashq.ac.cn"
        office_name = "中国科学院党的建设工作领导小组办公室"
        office_contact = "联系电话：010-68597802"
        templates_dir = "\(config.appendingPathComponent("templates").path)"
        units_file = "\(config.appendingPathComponent("units.toml").path)"

        [campaign]
        id = "yisuo2018"
        name = "一所一人一事（2018）"
        tracking_prefix = "YS2018"

        """.write(to: configFile, atomically: true, encoding: .utf8)
    }

    func run() throws {
        let fileManager = FileManager.default
        guard fileManager.isExecutableFile(atPath: options.tuibao.path) else {
            throw BenchError("no tuibao binary at \(options.tuibao.path) (build it: swift build -c release --product tuibao, or pass --tuibao)")
        }
        if fileManager.fileExists(atPath: directory.path) {
            throw BenchError("\(directory.path) exists: the benchmark needs a fresh directory")
        }
        try fileManager.createDirectory(at: mailDirectory, withIntermediateDirectories: true)
        defer {
            if options.keep { Self.progress("kept \(directory.path)") } else { try? fileManager.removeItem(at: directory) }
        }
        try writeConfiguration()
        let configuration = try GatewayConfiguration.load(from: configFile)
        let store = try TuibaoStore(dataDirectory: configuration.dataDirectory)
        var pipeline = try IntakePipeline(store: store, configuration: configuration)
        // As the service runs it: parse and readers in `tuibao examine` children.
        pipeline.isolation = IsolatedExaminer(executable: options.tuibao, limits: configuration.examiner.limits)

        let samples = try fileManager.contentsOfDirectory(at: options.repository.appendingPathComponent("Samples/mail"),
                                                          includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "eml" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard samples.count == 43 else { throw BenchError("expected the 43 sample mails in Samples/mail, found \(samples.count)") }

        let setupStart = Date()
        let registered = configuration.units.units.compactMap { unit in unit.domains.first.map { BenchUnit(name: unit.name, domain: $0) } }
        let unregistered = [("中国科学院计算技术研究所", "ict.ac.cn"), ("中国科学院自动化研究所", "ia.ac.cn"), ("中国科学院植物研究所", "ibcas.ac.cn"),
                            ("中国科学院动物研究所", "ioz.ac.cn"), ("中国科学院大气物理研究所", "iap.ac.cn"), ("中国科学院半导体研究所", "semi.ac.cn"),
                            ("中国科学院声学研究所", "ioa.ac.cn"), ("中国科学院力学研究所", "imech.ac.cn")].map { BenchUnit(name: $0.0, domain: $0.1) }
        let factory = try IntakeMailFactory(repository: options.repository, units: registered + unregistered, random: &random)
        let registeredCount = registered.count
        Self.progress("setup \(Self.f(Date().timeIntervalSince(setupStart))) s; \(options.mails) mails into \(directory.path)")

        Self.say("mails=\(options.mails) seed=\(options.seed) mix=samples:43(first),new:60%,resend:15%,supplement:10%,correction:10%,copy:5%")
        Self.say("new_deed=generated mail: a sample form (Samples/files) with a new nominee, title, unit and contact; a new essay of 2000-3000 chars from a 50000-sentence pool (docx in a sample's layout, 1 in 5 as .txt); sample pictures and video made unique (JPEG comment, mp4 free box); new sender at a unit domain (8 of 21 units not in the registry)")

        var sliceStart = 0.0
        // CPU seconds too: wall time per mail also moves with the disk (11 GB of mail and files
        // written with fsync), CPU time only with our work. Generation's CPU is taken out.
        var sliceCPUStart = Self.cpuSeconds(), sliceGenerationCPU = 0.0, sliceSplitStart = Self.cpuSplit()
        for mailIndex in 0..<options.mails {
            let generated = Date()
            let generationCPUStart = Self.selfCPUSeconds()
            let kind: Kind
            let url: URL
            var deedIndex: Int?
            if mailIndex < samples.count {
                kind = .sample
                url = samples[mailIndex]
            } else {
                let draw = Double.random(in: 0..<1, using: &random)
                let wanted: Kind = deeds.isEmpty ? .new
                    : draw < 0.60 ? .new : draw < 0.75 ? .resend : draw < 0.85 ? .supplement : draw < 0.95 ? .correction : .copy
                let made = try makeMail(wanted, mailIndex: mailIndex, factory: factory, registeredCount: registeredCount)
                kind = made.0
                url = made.1
                deedIndex = made.2
            }
            generateSeconds += Date().timeIntervalSince(generated)
            sliceGenerationCPU += Self.selfCPUSeconds() - generationCPUStart

            let started = DispatchTime.now()
            var outcome: IntakeOutcome?
            do {
                outcome = try pipeline.ingest(fileAt: url)
            } catch {
                errors += 1
                if errors <= 5 { Self.progress("mail \(mailIndex + 1) (\(url.lastPathComponent)): \(error)") }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            ingestSeconds += seconds
            sliceStart += seconds
            record(kind, outcome: outcome, milliseconds: seconds * 1000, deedIndex: deedIndex)

            let done = mailIndex + 1
            if done % options.slice == 0 || done == options.mails {
                sliceSeconds.append(sliceStart)
                let count = done % options.slice == 0 ? options.slice : done % options.slice
                let cpu = Self.cpuSeconds(), split = Self.cpuSplit()
                let sliceCPU = cpu - sliceCPUStart - sliceGenerationCPU
                let systemPerMail = (split.system - sliceSplitStart.system) * 1000 / Double(count)
                sliceCPUSeconds.append(sliceCPU / Double(count))
                Self.say("slice=\(sliceSeconds.count) mails=\(done - count + 1)-\(done) seconds=\(Self.f(sliceStart, 2)) " +
                         "mails_per_second=\(Self.f(Double(count) / sliceStart)) ms_per_mail=\(Self.f(sliceStart * 1000 / Double(count))) " +
                         "cpu_ms_per_mail=\(Self.f(sliceCPU * 1000 / Double(count))) " +
                         "of_which_system_ms_per_mail=\(Self.f(systemPerMail))")
                sliceStart = 0
                sliceCPUStart = Self.cpuSeconds()
                sliceSplitStart = Self.cpuSplit()
                sliceGenerationCPU = 0
            }
            if done % 500 == 0 { Self.progress("\(done)/\(options.mails) mails, \(Self.f(ingestSeconds)) s of intake") }
            if done == options.measureAt && done < options.mails {
                try measure(store: store, mails: done, final: false)
            }
        }
        try measure(store: store, mails: options.mails, final: true)
        report()
        if options.copiesOfOne > 0 { try copiesOfOneDeed(pipeline) }
    }

    /// CPU seconds of this process only (user + system).
    static func selfCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// CPU seconds of this process, its reaped children and its live ones (the long-lived
    /// examiner worker, read from /proc: RUSAGE_CHILDREN counts a child only once it is reaped).
    static func cpuSeconds() -> Double {
        let split = cpuSplit()
        return split.user + split.system
    }

    /// The same, user and system time apart: the system share is the kernel working for us
    /// (writes into the page cache, fsync), the user share our code and its libraries.
    static func cpuSplit() -> (user: Double, system: Double) {
        var own = rusage(), children = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &own)
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &children)
        var user = seconds(own.ru_utime) + seconds(children.ru_utime)
        var system = seconds(own.ru_stime) + seconds(children.ru_stime)
        let me = getpid(), ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(entry) != nil {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // After "(comm)": state, ppid, …; utime and stime are the 14th and 15th fields.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 12, Int32(fields[1]) == me, let childUser = Double(fields[11]), let childSystem = Double(fields[12]) else { continue }
            user += childUser / ticks
            system += childSystem / ticks
        }
        return (user, system)
    }

    static func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }

    // MARK: the mails

    func pickDeed() -> Int { Int.random(in: 0..<deeds.count, using: &random) }

    func write(_ data: Data, mailIndex: Int, kind: Kind) throws -> URL {
        let url = mailDirectory.appendingPathComponent(String(format: "%05d-%@.eml", mailIndex + 1, kind.rawValue))
        try data.write(to: url)
        return url
    }

    func makeMail(_ kind: Kind, mailIndex: Int, factory: IntakeMailFactory, registeredCount: Int) throws -> (Kind, URL, Int?) {
        let messageId = "bench-\(mailIndex + 1)-\(kind.rawValue)@mail.bench.test"
        let boundary = "----=_Part_bench_\(mailIndex + 1)"
        let tag = "mail \(mailIndex + 1)"
        switch kind {
        case .sample:
            throw BenchError("samples are not generated")

        case .new:
            let unit = Double.random(in: 0..<1, using: &random) < 0.8
                ? factory.units[Int.random(in: 0..<registeredCount, using: &random)]
                : factory.units[Int.random(in: registeredCount..<factory.units.count, using: &random)]
            let team = Double.random(in: 0..<1, using: &random) < 0.4
            let nominee = team ? IntakeMailFactory.teamName(random: &random) : IntakeMailFactory.personName(random: &random)
            let title = IntakeMailFactory.title(random: &random)
            let contact = IntakeMailFactory.personName(random: &random)
            let local = ["dangban", "dangwei", "djc", "zzb", "xuanchuan", "office", "kyc", "rsc"].randomElement(using: &random)!
            let address = "\(local)\(deeds.count + 1)@\(unit.domain)"
            let shortUnit = unit.name.replacingOccurrences(of: "中国科学院", with: "")
            let subject = "【一所一人一事】\(shortUnit)推报材料：\(nominee)"
            var parts = [MailPart(filename: "附件1-推报表-\(nominee).docx",
                                  contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                  data: try factory.formDocx(deed: (nominee, team, title, unit.name, address, contact), random: &random))]
            var body = ["各位老师好：", "", "现报送\(unit.name)“一所一人一事”推报材料（\(nominee)，《\(title)》），请查收。"]
            // What the deed carries: essay + picture (half), essay alone, video, essay + big picture + video link, link alone.
            let materials = Double.random(in: 0..<1, using: &random)
            var essay: [String]?
            if materials < 0.55 || (materials >= 0.70 && materials < 0.85) {
                let paragraphs = factory.essayParagraphs(nominee: nominee, unit: unit.name, random: &random)
                essay = paragraphs
                if Int.random(in: 0..<5, using: &random) == 0 {
                    parts.append(MailPart(filename: "征文-\(nominee).txt", contentType: "text/plain; charset=UTF-8",
                                          data: Data(([title, "——记\(unit.name)\(nominee)"] + paragraphs).joined(separator: "\r\n").utf8)))
                } else {
                    parts.append(MailPart(filename: "征文-\(nominee).docx",
                                          contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                          data: try factory.essayDocx(title: title, byline: "——记\(unit.name)\(nominee)", paragraphs: paragraphs)))
                }
            }
            if materials < 0.50 || (materials >= 0.70 && materials < 0.85) {
                let big = materials >= 0.70 || Double.random(in: 0..<1, using: &random) < 0.4
                let photo = big ? factory.bigPhoto : factory.smallPhotos.randomElement(using: &random)!
                parts.append(MailPart(filename: "\(nominee)-代表性图片.jpg", contentType: "image/jpeg",
                                      data: IntakeMailFactory.uniqueJPEG(photo, tag: tag)))
            }
            if materials >= 0.55 && materials < 0.70 {
                parts.append(MailPart(filename: "\(nominee)-视频.mp4", contentType: "video/mp4",
                                      data: IntakeMailFactory.uniqueMP4(factory.video, tag: tag)))
            }
            if materials >= 0.70 { body.append(IntakeMailFactory.panLink(random: &random)) }
            body += ["", "（基准邮件 \(mailIndex + 1)）", "", contact, unit.name]
            let raw = IntakeMailFactory.mail(headers: IntakeMailFactory.headers(from: contact, address: address, subject: subject,
                                                                                messageId: messageId, mailIndex: mailIndex),
                                             body: body.joined(separator: "\n"), parts: parts, boundary: boundary)
            let url = try write(raw, mailIndex: mailIndex, kind: kind)
            deeds.append(BenchDeed(index: deeds.count, unit: unit, senderName: contact, senderAddress: address, nominee: nominee,
                                   title: title, subject: subject, mailFile: url, essay: essay, trackingNumber: nil, action: nil))
            return (kind, url, deeds.count - 1)

        case .resend:
            // The same mail sent again: a new Message-ID and Date, the same bytes otherwise.
            let deed = deeds[pickDeed()]
            let raw = IntakeMailFactory.rewritingHeaders(of: try Data(contentsOf: deed.mailFile),
                                                         ["Message-ID": "<\(messageId)>", "Date": IntakeMailFactory.date(mailIndex: mailIndex)])
            return (kind, try write(raw, mailIndex: mailIndex, kind: kind), nil)

        case .copy:
            // A colleague sends the same materials from another address at the same domain.
            let deed = deeds[pickDeed()]
            let colleague = IntakeMailFactory.personName(random: &random)
            let address = "colleague\(mailIndex + 1)@\(deed.unit.domain)"
            let raw = IntakeMailFactory.rewritingHeaders(of: try Data(contentsOf: deed.mailFile), [
                "Message-ID": "<\(messageId)>", "Date": IntakeMailFactory.date(mailIndex: mailIndex),
                "From": "\(IntakeMailFactory.encodedWords(colleague)) <\(address)>", "Return-Path": "<\(address)>"])
            return (kind, try write(raw, mailIndex: mailIndex, kind: kind), nil)

        case .supplement:
            // 补充材料: the same sender, no tracking number, the nominee in the subject, one new picture.
            let deed = deeds[pickDeed()]
            let body = "您好！\n\n补充\(deed.nominee)（《\(deed.title)》）的代表性图片一张，请查收。\n\n（基准邮件 \(mailIndex + 1)）\n\n\(deed.senderName)\n\(deed.unit.name)"
            let raw = IntakeMailFactory.mail(
                headers: IntakeMailFactory.headers(from: deed.senderName, address: deed.senderAddress,
                                                   subject: "补充材料：\(deed.nominee)的代表性图片", messageId: messageId, mailIndex: mailIndex),
                body: body, parts: [MailPart(filename: "\(deed.nominee)-补充图片.jpg", contentType: "image/jpeg",
                                             data: IntakeMailFactory.uniqueJPEG(factory.bigPhoto, tag: tag))],
                boundary: boundary)
            return (kind, try write(raw, mailIndex: mailIndex, kind: kind), nil)

        case .correction:
            // A reply to our correction request, with one attachment: a revised essay or a big picture.
            let withNumber = deeds.indices.filter { deeds[$0].trackingNumber != nil }
            guard !withNumber.isEmpty else { return try makeMail(.new, mailIndex: mailIndex, factory: factory, registeredCount: registeredCount) }
            let asked = withNumber.filter { deeds[$0].action == Action.correct.rawValue }
            let pool = asked.isEmpty ? withNumber : asked
            let deed = deeds[pool[Int.random(in: 0..<pool.count, using: &random)]]
            let part: MailPart
            if let essay = deed.essay, Int.random(in: 0..<5, using: &random) < 2 {
                part = MailPart(filename: "征文-\(deed.nominee)-修改稿.docx",
                                contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                data: try factory.essayDocx(title: deed.title, byline: "——记\(deed.unit.name)\(deed.nominee)",
                                                            paragraphs: factory.revised(essay, random: &random)))
            } else {
                part = MailPart(filename: "\(deed.nominee)-代表性图片-补正.jpg", contentType: "image/jpeg",
                                data: IntakeMailFactory.uniqueJPEG(factory.bigPhoto, tag: tag))
            }
            let body = "您好！\n\n已按要求补正，修改后的材料见附件。\n\n（基准邮件 \(mailIndex + 1)）\n\n\(deed.senderName)\n\(deed.unit.name)"
            let raw = IntakeMailFactory.mail(
                headers: IntakeMailFactory.headers(from: deed.senderName, address: deed.senderAddress,
                                                   subject: "回复：【\(deed.trackingNumber!)】请补正材料：\(deed.subject)",
                                                   messageId: messageId, mailIndex: mailIndex),
                body: body, parts: [part], boundary: boundary)
            return (kind, try write(raw, mailIndex: mailIndex, kind: kind), nil)
        }
    }

    func record(_ kind: Kind, outcome: IntakeOutcome?, milliseconds: Double, deedIndex: Int?) {
        var entry = stats[kind] ?? KindStats()
        entry.milliseconds.append(milliseconds)
        let label: String
        if let outcome {
            label = outcome.status == .filed ? (outcome.action?.rawValue ?? "filed") : outcome.status.rawValue
            for nomination in outcome.nominations {
                if nomination.versionNumber == 1 {
                    entry.newSubmissions += 1
                    trackingNumbers.append(nomination.trackingNumber)
                } else {
                    entry.newVersions += 1
                }
            }
            if let deedIndex {
                deeds[deedIndex].trackingNumber = outcome.trackingNumber
                deeds[deedIndex].action = outcome.action?.rawValue
            }
        } else {
            label = "error"
        }
        entry.outcomes[label, default: 0] += 1
        stats[kind] = entry
    }

    // MARK: measuring the store and the staff commands

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[max(0, min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
    }

    static func size(of directory: URL) -> (bytes: Int, files: Int) {
        var bytes = 0, files = 0
        let keys: [URLResourceKey] = [.fileSizeKey, .isRegularFileKey]
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: keys) else { return (0, 0) }
        for case let url as URL in walker {
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
            bytes += values.fileSize ?? 0
            files += 1
        }
        return (bytes, files)
    }

    static func fileSize(_ url: URL) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    }

    func measure(store: TuibaoStore, mails: Int, final: Bool) throws {
        try store.checkpoint()
        let counts = try store.counts()
        let (submissions, versions, messages) = (counts.submissions, counts.versions, counts.messages)
        let data = store.dataDirectory
        let database = Self.fileSize(data.appendingPathComponent("tuibao.sqlite"))
        let wal = Self.fileSize(data.appendingPathComponent("tuibao.sqlite-wal"))
        let files = Self.size(of: data.appendingPathComponent("files"))
        let spool = Self.size(of: data.appendingPathComponent("spool"))
        Self.say("at_mails=\(mails) submissions=\(submissions) versions=\(versions) messages=\(messages)")
        let line = "at_mails=\(mails) database_bytes=\(database) wal_bytes=\(wal) files_bytes=\(files.bytes) files_count=\(files.files) " +
            "spool_bytes=\(spool.bytes) spool_count=\(spool.files)"
        Self.say(line)
        if final { storeLine = line }

        let export = directory.appendingPathComponent("export.xlsx")
        // `startup_floor`: `tuibao help`, process start and argument parsing without the store
        // (its exit status is not checked), the part of every command no query can remove.
        let commands: [(name: String, arguments: () -> [String])] = [
            ("startup_floor", { ["help"] }),
            ("queue", { ["queue"] }),
            ("show", { [self] in ["show", trackingNumbers.isEmpty ? "YS2018-0001" : trackingNumbers[Int.random(in: 0..<trackingNumbers.count, using: &random)]] }),
            ("stats", { ["stats"] }),
            ("export_xlsx", { ["export", "--format", "xlsx", "-o", export.path] }),
        ]
        for command in commands {
            var times: [Double] = []
            let started = Date()
            while times.count < options.runs {
                let arguments = command.arguments()
                times.append(try runTuibao(arguments, checkStatus: command.name != "startup_floor"))
                let elapsed = Date().timeIntervalSince(started)
                if (elapsed >= options.budgetSeconds && times.count >= 3) || elapsed >= 3 * options.budgetSeconds { break }
            }
            let p50 = Self.percentile(times, 0.5), p99 = Self.percentile(times, 0.99)
            measured.append((mails, submissions, command.name, p50, p99))
            Self.say("at_mails=\(mails) submissions=\(submissions) command=\(command.name) runs=\(times.count) " +
                     "p50_ms=\(Self.f(p50)) p99_ms=\(Self.f(p99)) min_ms=\(Self.f(times.min() ?? 0)) max_ms=\(Self.f(times.max() ?? 0))")
            Self.progress("\(command.name) at \(mails) mails: p50 \(Self.f(p50)) ms over \(times.count) runs")
        }
        if final {
            for name in ["queue", "show"] {
                if let entry = measured.last(where: { $0.command == name && $0.mails == mails }) {
                    let met = entry.p50 < 100
                    goals.append(("\(name) under 100 ms at \(submissions) submissions (p50 \(Self.f(entry.p50)) ms, p99 \(Self.f(entry.p99)) ms)", met))
                    Self.say("goal=\(name)_p50_under_100ms at_mails=\(mails) p50_ms=\(Self.f(entry.p50)) p99_ms=\(Self.f(entry.p99)) met=\(met ? "yes" : "no")")
                }
            }
        }
    }

    /// One staff command as the office runs it: a process of the release binary with the bench's
    /// configuration. Spawned and reaped directly: Foundation's `Process.waitUntilExit` polls
    /// every 50 ms, which rounded every figure up to the next 50 ms.
    func runTuibao(_ arguments: [String], checkStatus: Bool = true) throws -> Double {
        let output = directory.appendingPathComponent("command.out"), errorOutput = directory.appendingPathComponent("command.err")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorOutput.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = [options.tuibao.path] + arguments + ["--config", configFile.path]
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let started = DispatchTime.now()
        let spawned = posix_spawn(&pid, options.tuibao.path, &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw BenchError("cannot start \(options.tuibao.path): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        guard exitStatus == 0 || !checkStatus else {
            let message = (try? String(contentsOf: errorOutput, encoding: .utf8)) ?? ""
            throw BenchError("tuibao \(arguments.joined(separator: " ")) exited \(exitStatus): \(message.prefix(500))")
        }
        return milliseconds
    }

    // MARK: the report

    func report() {
        let total = options.mails
        Self.say("ingest_seconds=\(Self.f(ingestSeconds, 1)) mails_per_second=\(Self.f(Double(total) / ingestSeconds)) " +
                 "ms_per_mail=\(Self.f(ingestSeconds * 1000 / Double(total))) generate_seconds=\(Self.f(generateSeconds)) errors=\(errors)")
        let all = stats.values.flatMap(\.milliseconds)
        Self.say("mail_p50_ms=\(Self.f(Self.percentile(all, 0.5))) mail_p99_ms=\(Self.f(Self.percentile(all, 0.99))) mail_max_ms=\(Self.f(all.max() ?? 0))")
        for kind in Kind.allCases {
            guard let entry = stats[kind] else { continue }
            let outcomes = entry.outcomes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            Self.say("kind=\(kind.rawValue) mails=\(entry.milliseconds.count) p50_ms=\(Self.f(Self.percentile(entry.milliseconds, 0.5))) " +
                     "p99_ms=\(Self.f(Self.percentile(entry.milliseconds, 0.99))) new_submissions=\(entry.newSubmissions) " +
                     "new_versions=\(entry.newVersions) \(outcomes)")
        }
        var ratio: Double?
        if sliceSeconds.count >= 2 {
            // Per mail: the last slice may be shorter than the others.
            let lastCount = total % options.slice == 0 ? options.slice : total % options.slice
            let first = sliceSeconds[0] / Double(options.slice), last = sliceSeconds[sliceSeconds.count - 1] / Double(lastCount)
            ratio = last / first
            let met = last / first <= 1.2
            goals.append(("per-mail cost flat: last slice \(Self.f(last * 1000)) ms/mail vs first \(Self.f(first * 1000)) ms/mail, ratio \(Self.f(last / first, 2)) (≤ 1.2)", met))
            Self.say("goal=slice_ratio_at_most_1.2 first_ms_per_mail=\(Self.f(first * 1000)) last_ms_per_mail=\(Self.f(last * 1000)) " +
                     "ratio=\(Self.f(last / first, 2)) met=\(met ? "yes" : "no")")
            // The same in CPU time (this process and the examiner worker), which the disk does not move.
            if let firstCPU = sliceCPUSeconds.first, let lastCPU = sliceCPUSeconds.last, firstCPU > 0 {
                Self.say("cpu_slice_ratio first_cpu_ms_per_mail=\(Self.f(firstCPU * 1000)) last_cpu_ms_per_mail=\(Self.f(lastCPU * 1000)) " +
                         "ratio=\(Self.f(lastCPU / firstCPU, 2)) slices_cpu_ms_per_mail=" + sliceCPUSeconds.map { Self.f($0 * 1000, 1) }.joined(separator: ","))
            }
        }

        // The summary.
        Self.say("")
        Self.say("# tuibao-bench intake: \(total) mails through IntakePipeline.ingest(fileAt:) in \(Self.f(ingestSeconds)) s of intake " +
                 "(\(Self.f(Double(total) / ingestSeconds)) mails/s, \(Self.f(ingestSeconds * 1000 / Double(total))) ms a mail; generating them took \(Self.f(generateSeconds)) s more).")
        Self.say("# Mix: the 43 samples first, then (seed \(options.seed)) " + Kind.allCases.dropFirst().compactMap { kind in
            stats[kind].map { "\($0.milliseconds.count) \(kind.rawValue)" } }.joined(separator: ", ") + ".")
        Self.say("# New deeds are generated mails, not the samples resent: a sample form with a new nominee, title and unit, a new essay " +
                 "from a sentence pool, the sample pictures/video with unique bytes (a JPEG comment, an mp4 free box).")
        if let ratio {
            Self.say("# Per-mail cost, last slice over first: \(Self.f(ratio, 2))× (slices of \(options.slice) mails: " +
                     sliceSeconds.map { Self.f($0, 1) }.joined(separator: ", ") + " s).")
        }
        for entry in measured where entry.mails == total {
            Self.say("# \(entry.command) at \(entry.mails) mails (\(entry.submissions) submissions): p50 \(Self.f(entry.p50)) ms, p99 \(Self.f(entry.p99)) ms.")
        }
        Self.say("# Store: " + storeLine.replacingOccurrences(of: "at_mails=\(total) ", with: "") + ".")
        for (goal, met) in goals { Self.say("# Goal \(met ? "met" : "MISSED"): \(goal).") }
    }
}
