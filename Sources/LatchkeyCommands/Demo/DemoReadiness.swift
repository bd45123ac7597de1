import Foundation
import LatchkeyCore

/// Waits until a URL answers (any HTTP status): the server behind it listens. Stops at once
/// with the servers' own error when `ending` says they have stopped.
enum DemoReadiness {
  static func wait(
    for url: String, fetcher: any HTTPFetcher, ending: ServiceGroupEnding,
    timeout: Duration = .seconds(15)
  ) async throws {
    guard let target = URL(string: url) else { throw DemoError.notListening(url) }
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if let stopped = ending.ended { throw stopped }
      if (try? await fetcher.get(target, maxBytes: 1 << 20, timeout: 2)) != nil { return }
      try await Task.sleep(for: .milliseconds(50))
    }
    throw ending.ended ?? DemoError.notListening(url)
  }
}
