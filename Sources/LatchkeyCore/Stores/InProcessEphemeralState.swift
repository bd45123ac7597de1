public import Foundation
import Synchronization

/// `EphemeralStateStore` in process memory: right for one instance (the SQLite default and
/// tests); a restart forgets it. Tables are swept when they grow past `sweepThreshold`.
public final class InProcessEphemeralState: EphemeralStateStore {
  static let sweepThreshold = 10_000

  struct Backoff {
    var failures: Int
    var refusedUntil: Date?
  }

  struct Window {
    var start: Date
    var count: Int
    var window: TimeInterval
  }

  private let sessions = Mutex<[String: StoredLoginSession]>([:])
  private let backoffs = Mutex<[String: Backoff]>([:])
  private let windows = Mutex<[String: Window]>([:])

  public init() {}

  public func startLoginSession(hash: String, session: StoredLoginSession) async throws {
    sessions.withLock { sessions in
      if sessions.count >= Self.sweepThreshold {
        let now = Date()
        sessions = sessions.filter { $0.value.expiresAt > now }
      }
      sessions[hash] = session
    }
  }

  public func loginSession(hash: String, at now: Date) async throws -> StoredLoginSession? {
    sessions.withLock { sessions in
      guard let session = sessions[hash] else { return nil }
      guard session.expiresAt > now else {
        sessions[hash] = nil
        return nil
      }
      return session
    }
  }

  public func loginRefusal(account: String, at now: Date) async throws -> Date? {
    backoffs.withLock { backoffs in
      guard let until = backoffs[account]?.refusedUntil, until > now else { return nil }
      return until
    }
  }

  public func recordLoginFailure(account: String, at now: Date) async throws {
    backoffs.withLock { backoffs in
      if backoffs.count >= Self.sweepThreshold {
        backoffs = backoffs.filter { ($0.value.refusedUntil ?? .distantPast) > now }
      }
      var entry = backoffs[account] ?? Backoff(failures: 0, refusedUntil: nil)
      entry.failures += 1
      if let window = LoginBackoffRule.window(afterFailures: entry.failures) {
        entry.refusedUntil = now.addingTimeInterval(window)
      }
      backoffs[account] = entry
    }
  }

  public func recordLoginSuccess(account: String) async throws {
    _ = backoffs.withLock { $0.removeValue(forKey: account) }
  }

  public func acquireRateSlot(key: String, limit: Int, window: TimeInterval, at now: Date)
    async throws -> Int?
  {
    windows.withLock { windows in
      if windows.count > Self.sweepThreshold {
        windows = windows.filter { now.timeIntervalSince($0.value.start) < $0.value.window }
      }
      let current = windows[key]
      switch FixedWindowRule.decide(
        start: current?.start, count: current?.count ?? 0, limit: limit, window: window, now: now)
      {
      case .success(let next):
        windows[key] = Window(start: next.start, count: next.count, window: window)
        return nil
      case .failure(let retry):
        return retry.seconds
      }
    }
  }

  public func pruneEphemeralState(at now: Date) async throws {
    sessions.withLock { $0 = $0.filter { $0.value.expiresAt > now } }
    // Back-offs are swept only past `sweepThreshold`, so failures below the free count are
    // remembered until a success, as they always were.
    windows.withLock { $0 = $0.filter { now.timeIntervalSince($0.value.start) < $0.value.window } }
  }
}
