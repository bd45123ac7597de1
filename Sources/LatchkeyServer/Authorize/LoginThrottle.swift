import Foundation
import LatchkeyCore

/// The login back-off (`LoginBackoffRule`) over the `EphemeralStateStore`, so several instances
/// on one database count together, and the trusted devices that are exempt from the
/// account-wide limit. During a refusal window of any counter every attempt is refused without
/// checking the password; a success clears the account's counters and trusts the browser.
struct LoginThrottle: Sendable {
  let state: any EphemeralStateStore

  /// The counters an attempt for `username` is judged by: the device's own when the browser's
  /// device cookie signed in to this account before, else the untrusted ones.
  func counters(username: String, source: String?, deviceToken: String?, at now: Date)
    async throws -> [LoginBackoffRule.Counter]
  {
    var trusted: String?
    if let deviceToken {
      let hash = Self.deviceHash(deviceToken, username: username)
      if try await state.isTrustedDevice(hash: hash, at: now) { trusted = hash }
    }
    return LoginBackoffRule.counters(username: username, source: source, trustedDevice: trusted)
  }

  /// The first counter refusing an attempt at `now`, with the end of its window.
  func refusal(_ counters: [LoginBackoffRule.Counter], at now: Date) async throws
    -> (limit: LoginBackoffRule.Limit, until: Date)?
  {
    for counter in counters {
      if let until = try await state.loginRefusal(account: counter.key, at: now) {
        return (counter.limit, until)
      }
    }
    return nil
  }

  /// Counts a failure on every counter; returns the windows this failure opened.
  func recordFailure(_ counters: [LoginBackoffRule.Counter], at now: Date) async throws
    -> [(limit: LoginBackoffRule.Limit, until: Date)]
  {
    var opened: [(limit: LoginBackoffRule.Limit, until: Date)] = []
    for counter in counters {
      if let until = try await state.recordLoginFailure(
        account: counter.key, policy: counter.policy, at: now)
      {
        opened.append((counter.limit, until))
      }
    }
    return opened
  }

  /// Clears the counters a success clears and trusts the browser for this account.
  func recordSuccess(
    _ counters: [LoginBackoffRule.Counter], username: String, deviceToken: String, at now: Date
  ) async throws {
    for counter in LoginBackoffRule.clearedOnSuccess(counters) {
      try await state.recordLoginSuccess(account: counter.key)
    }
    try await state.trustDevice(
      hash: Self.deviceHash(deviceToken, username: username),
      expiresAt: now.addingTimeInterval(InteractionCookies.deviceLifetime))
  }

  /// The store key of a (device, account) pair: the cookie alone never identifies a trusted
  /// pair, and the table never holds a usable cookie.
  static func deviceHash(_ deviceToken: String, username: String) -> String {
    SecretHash.of(deviceToken + "\n" + LoginBackoffRule.account(username))
  }
}
