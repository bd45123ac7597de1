import ServiceLifecycle
import Synchronization

/// Whether one of the demo's servers has stopped, and why: readiness polling stops waiting for
/// a listener that will never come (a port bound by someone else, say) and reports the
/// server's own error at once, without waiting for the rest of the group to shut down.
final class ServiceGroupEnding: Sendable {
  private let outcome = Mutex<DemoError?>(nil)

  /// Records that a server returned (`error` nil) or threw; the first record wins.
  func record(_ error: (any Error)?) {
    outcome.withLock { $0 = $0 ?? .stoppedDuringStartup(error) }
  }

  /// `DemoError.stoppedDuringStartup` once a server has stopped, nil while all run.
  var ended: DemoError? { outcome.withLock { $0 } }

  /// `service`, reporting here the moment its `run` returns or throws.
  func reporting(_ service: any Service) -> any Service {
    ReportingService(service: service, ending: self)
  }
}

/// A service that tells `ending` when its `run` returns or throws, then does the same.
private struct ReportingService: Service {
  let service: any Service
  let ending: ServiceGroupEnding

  func run() async throws {
    do {
      try await service.run()
      ending.record(nil)
    } catch {
      ending.record(error)
      throw error
    }
  }
}
