import Synchronization

/// How the demo's service group ended, once it has: readiness polling stops waiting for a
/// listener that will never come (a port bound by someone else, say) and reports why.
final class ServiceGroupEnding: Sendable {
  private let outcome = Mutex<DemoError?>(nil)

  /// Records that the group returned (`error` nil) or threw.
  func record(_ error: (any Error)?) {
    outcome.withLock { $0 = .stoppedDuringStartup(error) }
  }

  /// `DemoError.stoppedDuringStartup` once the group has ended, nil while it runs.
  var ended: DemoError? { outcome.withLock { $0 } }
}
