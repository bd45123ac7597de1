public import Foundation

/// A login session as the store keeps it: the hash of the cookie value, never the value.
public struct StoredLoginSession: Sendable, Equatable {
  public var userID: String
  public var expiresAt: Date

  public init(userID: String, expiresAt: Date) {
    self.userID = userID
    self.expiresAt = expiresAt
  }
}

/// Short-lived state the authorization server keeps between requests: login sessions, the
/// authorization interactions, the login back-off, trusted devices and the registration rate
/// windows.
///
/// One SQLite instance keeps it in process (`InProcessEphemeralState`, as before); several
/// instances on one PostgreSQL database keep it in the database so they agree (a login on one
/// instance is known to the next, and the caps count across instances). Losing it is harmless:
/// a login in progress starts again, a back-off or a window starts over.
public protocol EphemeralStateStore: Sendable {
  /// Remembers a session under the hash of its cookie value.
  func startLoginSession(hash: String, session: StoredLoginSession) async throws
  /// The session whose cookie hashes to `hash` if it is live at `now`, else nil.
  func loginSession(hash: String, at now: Date) async throws -> StoredLoginSession?
  /// Remembers a new interaction under the hash of its id.
  func startInteraction(hash: String, interaction: StoredInteraction) async throws
  /// The interaction whose id hashes to `hash`, as it stands at `now`.
  func interaction(hash: String, at now: Date) async throws -> InteractionStatus
  /// Records who signed in for a pending interaction; false when it is no longer pending.
  func bindInteraction(hash: String, userID: String, at now: Date) async throws -> Bool
  /// Marks a pending interaction completed, atomically: true for exactly one caller, ever;
  /// false when it was completed before, expired, or never existed.
  func completeInteraction(hash: String, at now: Date) async throws -> Bool
  /// The end of the refusal window of a back-off key when it may not try at `now`, else nil.
  func loginRefusal(account: String, at now: Date) async throws -> Date?
  /// Counts a failed login under a back-off key, opening the next window `policy` gives;
  /// returns the end of the window it opened, if any.
  @discardableResult
  func recordLoginFailure(account: String, policy: LoginBackoffRule.Policy, at now: Date)
    async throws -> Date?
  /// Forgets the failures counted under a back-off key.
  func recordLoginSuccess(account: String) async throws
  /// Remembers that a browser (its device cookie, hashed with the account) signed in to an
  /// account successfully (OWASP "device cookies").
  func trustDevice(hash: String, expiresAt: Date) async throws
  /// Whether a device hash was trusted and still is at `now`.
  func isTrustedDevice(hash: String, at now: Date) async throws -> Bool
  /// Remembers a client assertion id (RFC 7523 §3 item 7) until `expiresAt`, atomically: true
  /// the first time `hash` is seen while live, false for a replay.
  func recordClientAssertion(hash: String, expiresAt: Date, at now: Date) async throws -> Bool
  /// Counts one event for `key` in a fixed window of `window` seconds unless `limit` events
  /// were counted already; nil when counted, else the seconds until the window resets.
  func acquireRateSlot(key: String, limit: Int, window: TimeInterval, at now: Date) async throws
    -> Int?
  /// Housekeeping: forgets sessions, back-offs and windows that no longer matter at `now`.
  func pruneEphemeralState(at now: Date) async throws
}

extension EphemeralStateStore {
  /// Counts a failure under the standard policy.
  public func recordLoginFailure(account: String, at now: Date) async throws {
    try await recordLoginFailure(account: account, policy: .standard, at: now)
  }
}
