// tuibao-bench: benchmarks, run by scripts/bench-*. Usage:
//   tuibao-bench parse [--iterations N] [--store] FILE...
//   tuibao-bench dupes [--records N] [--checks N] [--brute N]
//   tuibao-bench latency [--mails N] [--modes idle,poll60,poll10] [--gap MIN-MAX] [--seed N] [--big-mb N [--baseline yes|no]] [--repo DIR] [--tuibao PATH]
//   tuibao-bench intake [--mails N] [--measure-at N] [--slice N] [--runs N] [--budget S] [--seed N] [--repo DIR] [--tuibao PATH] [--dir DIR] [--keep] [--copies-of-one N]
import Foundation

var arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "parse": parseBenchmark(Array(arguments.dropFirst()))
case "dupes": duplicateBenchmark(Array(arguments.dropFirst()))
case "intake": intakeBenchmark(Array(arguments.dropFirst()))
case "latency": latencyBenchmark(Array(arguments.dropFirst()))
default:
    FileHandle.standardError.write(Data("usage: tuibao-bench parse [--iterations N] [--store] FILE... | dupes [--records N] [--checks N] [--brute N] | intake [--mails N] … | latency [--mails N] [--modes …]\n".utf8))
    exit(2)
}
