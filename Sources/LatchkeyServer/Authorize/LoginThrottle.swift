import Foundation
import LatchkeyCore

/// Per-account back-off of failed logins (`LoginBackoffRule`), counted in the
/// `EphemeralStateStore` so several instances on one database count together. During a refusal
/// window every attempt is refused without checking the password; a success resets the count.
struct LoginThrottle: Sendable {
  let state: any EphemeralStateStore

  /// The end of the refusal window when `username` may not try now, or nil.
  func refusal(for username: String, at now: Date) async throws -> Date? {
    try await state.loginRefusal(account: LoginBackoffRule.account(username), at: now)
  }

  /// Counts a failure and opens the next window when the free failures are used up.
  func recordFailure(for username: String, at now: Date) async throws {
    try await state.recordLoginFailure(account: LoginBackoffRule.account(username), at: now)
  }

  func recordSuccess(for username: String) async throws {
    try await state.recordLoginSuccess(account: LoginBackoffRule.account(username))
  }
}
