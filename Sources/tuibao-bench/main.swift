// tuibao-bench: benchmarks, run by scripts/bench-*. Usage:
//   tuibao-bench parse [--iterations N] [--store] FILE...
//   tuibao-bench dupes [--records N] [--checks N] [--brute N]
import Foundation

var arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "parse": parseBenchmark(Array(arguments.dropFirst()))
case "dupes": duplicateBenchmark(Array(arguments.dropFirst()))
default:
    FileHandle.standardError.write(Data("usage: tuibao-bench parse [--iterations N] [--store] FILE... | dupes [--records N] [--checks N] [--brute N]\n".utf8))
    exit(2)
}
