/// Store micro-benchmarks (filled in with LatchkeySQLite).
enum StoreBenchmark {
  static func run() async throws {}
}
