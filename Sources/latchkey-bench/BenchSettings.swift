import Foundation

/// `LATCHKEY_BENCH_QUICK=1` (scripts/bench --quick) shortens every timed phase: noisier figures
/// in a fraction of the time, for checking a hot-path change.
enum BenchSettings {
  static let quick = ProcessInfo.processInfo.environment["LATCHKEY_BENCH_QUICK"] == "1"
  /// Length of one timed phase of the JOSE and store suites.
  static let phase: Duration = quick ? .milliseconds(500) : .seconds(2)
  static let warmUp: Duration = quick ? .milliseconds(100) : .milliseconds(300)
}
