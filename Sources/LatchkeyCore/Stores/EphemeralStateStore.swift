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
/// per-account login back-off and the registration rate windows.
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
  /// The end of the refusal window of `account` when it may not try at `now`, else nil.
  func loginRefusal(account: String, at now: Date) async throws -> Date?
  /// Counts a failed login of `account`, opening the next window per `LoginBackoffRule`.
  func recordLoginFailure(account: String, at now: Date) async throws
  /// Forgets the failures of `account`.
  func recordLoginSuccess(account: String) async throws
  /// Counts one event for `key` in a fixed window of `window` seconds unless `limit` events
  /// were counted already; nil when counted, else the seconds until the window resets.
  func acquireRateSlot(key: String, limit: Int, window: TimeInterval, at now: Date) async throws
    -> Int?
  /// Housekeeping: forgets sessions, back-offs and windows that no longer matter at `now`.
  func pruneEphemeralState(at now: Date) async throws
}
