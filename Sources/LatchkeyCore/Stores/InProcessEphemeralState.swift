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
  /// Interactions by id hash; a completed one stays (as nil) until it would have expired, so
  /// a replayed form is told "already completed", not "expired".
  private let interactions = Mutex<[String: (interaction: StoredInteraction, completed: Bool)]>(
    [:])
  private let devices = Mutex<[String: Date]>([:])
  private let assertions = Mutex<[String: Date]>([:])

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

  public func startInteraction(hash: String, interaction: StoredInteraction) async throws {
    interactions.withLock { table in
      if table.count >= Self.sweepThreshold {
        let now = Date()
        table = table.filter { $0.value.interaction.expiresAt > now }
      }
      table[hash] = (interaction, false)
    }
  }

  public func interaction(hash: String, at now: Date) async throws -> InteractionStatus {
    interactions.withLock { table in
      guard let entry = table[hash], entry.interaction.expiresAt > now else { return .expired }
      return entry.completed ? .completed : .pending(entry.interaction)
    }
  }

  public func bindInteraction(hash: String, userID: String, at now: Date) async throws -> Bool {
    interactions.withLock { table in
      guard let entry = table[hash], !entry.completed, entry.interaction.expiresAt > now else {
        return false
      }
      table[hash]?.interaction.userID = userID
      return true
    }
  }

  public func completeInteraction(hash: String, at now: Date) async throws -> Bool {
    interactions.withLock { table in
      guard let entry = table[hash], !entry.completed, entry.interaction.expiresAt > now else {
        return false
      }
      table[hash]?.completed = true
      return true
    }
  }

  public func trustDevice(hash: String, expiresAt: Date) async throws {
    devices.withLock { devices in
      if devices.count >= Self.sweepThreshold {
        let now = Date()
        devices = devices.filter { $0.value > now }
      }
      devices[hash] = expiresAt
    }
  }

  public func isTrustedDevice(hash: String, at now: Date) async throws -> Bool {
    devices.withLock { ($0[hash] ?? .distantPast) > now }
  }

  public func recordClientAssertion(hash: String, expiresAt: Date, at now: Date) async throws
    -> Bool
  {
    assertions.withLock { seen in
      if seen.count >= Self.sweepThreshold { seen = seen.filter { $0.value > now } }
      if let until = seen[hash], until > now { return false }
      seen[hash] = expiresAt
      return true
    }
  }

  public func loginRefusal(account: String, at now: Date) async throws -> Date? {
    backoffs.withLock { backoffs in
      guard let until = backoffs[account]?.refusedUntil, until > now else { return nil }
      return until
    }
  }

  public func recordLoginFailure(
    account: String, policy: LoginBackoffRule.Policy, at now: Date
  ) async throws -> Date? {
    backoffs.withLock { backoffs in
      if backoffs.count >= Self.sweepThreshold {
        backoffs = backoffs.filter { ($0.value.refusedUntil ?? .distantPast) > now }
      }
      var entry = backoffs[account] ?? Backoff(failures: 0, refusedUntil: nil)
      entry.failures += 1
      var opened: Date?
      if let window = policy.window(afterFailures: entry.failures) {
        opened = now.addingTimeInterval(window)
        entry.refusedUntil = opened
      }
      backoffs[account] = entry
      return opened
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
    interactions.withLock { $0 = $0.filter { $0.value.interaction.expiresAt > now } }
    devices.withLock { $0 = $0.filter { $0.value > now } }
    assertions.withLock { $0 = $0.filter { $0.value > now } }
    // Back-offs are swept only past `sweepThreshold`, so failures below the free count are
    // remembered until a success, as they always were.
    windows.withLock { $0 = $0.filter { now.timeIntervalSince($0.value.start) < $0.value.window } }
  }
}
