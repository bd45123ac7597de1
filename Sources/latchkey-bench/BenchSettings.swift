import Foundation

/// Phase lengths of the micro-benchmarks. `LATCHKEY_BENCH_QUICK=1` (scripts/bench --quick)
/// shortens them further: noisier figures in a fraction of the time, for checking a hot-path
/// change. The full lengths keep three runs of every suite within about 80 s, so a fresh
/// machine runs `scripts/bench` end to end in under 15 minutes (issue #7).
enum BenchSettings {
  static let quick = ProcessInfo.processInfo.environment["LATCHKEY_BENCH_QUICK"] == "1"
  /// One timed phase of the JOSE suite: ≥ 500 operations even for RS256 signing, and the
  /// median of three runs is what the report prints.
  static let josePhase: Duration = quick ? .milliseconds(250) : .milliseconds(500)
  /// One timed phase of the store suite (fsync-bound commits vary more than signatures).
  static let storePhaseSeconds = quick ? 0.5 : 1.0
  static let warmUp: Duration = quick ? .milliseconds(100) : .milliseconds(200)
}
