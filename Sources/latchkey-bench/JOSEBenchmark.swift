/// JOSE micro-benchmarks (filled in with LatchkeyJOSE).
enum JOSEBenchmark {
  static func run() throws {}
}
