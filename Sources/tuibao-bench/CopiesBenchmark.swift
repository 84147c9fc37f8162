import Foundation
import Gateway
import Intake

// The issue's own case (One record per deed): one deed sent again and again — the unit resends,
// colleagues forward it — into a store already holding the run's mails. Each copy must be
// answered as a copy of the first record, and cost the same whether it is the 2nd or the 600th.

extension IntakeBenchmark {
    /// Copies of the run's first new deed that got a tracking number: even copies byte for byte
    /// from its sender, odd ones from a colleague at the same domain. Prints per block of 50
    /// copies the median wall and CPU time, and the first block against the last.
    func copiesOfOneDeed(_ pipeline: IntakePipeline) throws {
        guard let deed = deeds.first(where: { $0.trackingNumber != nil }), let original = deed.trackingNumber else {
            throw BenchError("no deed with a tracking number to copy")
        }
        let count = options.copiesOfOne, block = 50
        Self.say("copies_of_one=\(count) deed=\(original) kinds=resend,colleague(alternately)")
        var wall: [Double] = [], cpu: [Double] = []
        var wrong = 0
        let source = try Data(contentsOf: deed.mailFile)
        for copy in 0..<count {
            let mailIndex = options.mails + copy
            let messageId = "bench-copy-\(copy + 1)@mail.bench.test"
            var headers = ["Message-ID": "<\(messageId)>", "Date": IntakeMailFactory.date(mailIndex: mailIndex)]
            if copy % 2 == 1 {
                let address = "copy\(copy + 1)@\(deed.unit.domain)"
                headers["From"] = "\(IntakeMailFactory.encodedWords("同事\(copy + 1)")) <\(address)>"
                headers["Return-Path"] = "<\(address)>"
            }
            let url = try write(IntakeMailFactory.rewritingHeaders(of: source, headers), mailIndex: mailIndex, kind: .resend)
            let cpuStart = Self.cpuSeconds()
            let started = DispatchTime.now()
            let outcome = try pipeline.ingest(fileAt: url)
            wall.append(Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6)
            cpu.append((Self.cpuSeconds() - cpuStart) * 1000)
            // A copy makes no new version and is answered by naming the original record.
            if outcome.resendOf != original || !outcome.nominations.isEmpty { wrong += 1 }
        }
        var blocks: [(wall: Double, cpu: Double)] = []
        for start in stride(from: 0, to: count, by: block) {
            let end = min(count, start + block)
            let line = (Self.percentile(Array(wall[start..<end]), 0.5), Self.percentile(Array(cpu[start..<end]), 0.5))
            blocks.append(line)
            Self.say("copies=\(start + 1)-\(end) wall_p50_ms=\(Self.f(line.0)) cpu_p50_ms=\(Self.f(line.1))")
        }
        let wallRatio = blocks.last!.wall / blocks.first!.wall, cpuRatio = blocks.last!.cpu / blocks.first!.cpu
        Self.say("copies_last_over_first wall=\(Self.f(wallRatio, 2)) cpu=\(Self.f(cpuRatio, 2)) not_answered_as_copy=\(wrong)")
        Self.say("goal copy cost flat (last block / first block of \(block) copies ≤ 1.2): \(max(wallRatio, cpuRatio) <= 1.2 ? "met" : "MISSED")"
                 + "; every copy named \(original): \(wrong == 0 ? "met" : "MISSED")")
    }
}
