public import Foundation

/// The answer of `AuthorizationCodeStore.consumeCode`.
public enum CodeConsumption: Sendable, Equatable {
  /// This call consumed the code; it is the only one that ever will.
  case consumed(AuthorizationCode)
  /// The code was consumed before: a replay (OAuth 2.1 §4.1.3). Names the grant to revoke.
  case alreadyUsed(grantID: String)
  /// The code exists, unconsumed, but is past its expiry. Left unconsumed.
  case expired
  /// No such code.
  case notFound
}

/// What a store writes when `redeemCode` consumes a code, decided by the caller once from the
/// token request and the code and grant the store read in its transaction (a pure function).
public enum CodeRedemptionPlan: Sendable, Equatable {
  /// The request matches the code: store `refreshToken` (nil when the client may not refresh)
  /// and append `event`, in the transaction that consumes the code.
  case issue(refreshToken: RefreshToken?, event: AuditEvent?)
  /// The request breaks a binding of the code (OAuth 2.1 §4.1.3): the code is consumed all
  /// the same and nothing else is written.
  case refuse(OAuthError)
}

/// The answer of `AuthorizationCodeStore.redeemCode`.
public enum CodeRedemption: Sendable, Equatable {
  /// This call consumed the code; `refreshToken` (if the plan had one) is stored with it.
  case redeemed(AuthorizationCode, grant: Grant, refreshToken: RefreshToken?)
  /// This call consumed the code and the caller's plan refused the request with `error`:
  /// nothing else was stored.
  case requestRefused(AuthorizationCode, error: OAuthError)
  /// A replay: the code was consumed before. Names the grant to revoke.
  case alreadyUsed(grantID: String)
  /// The code is past its expiry (left unconsumed).
  case expired
  case notFound
  /// The code was unused but its grant was revoked meanwhile (e.g. the user was disabled):
  /// the code is now consumed and nothing was issued.
  case grantNotLive(grantID: String)
}

/// Authorization codes, stored by hash, consumed exactly once.
public protocol AuthorizationCodeStore: Sendable {
  /// Stores the code together with the grant it will start, atomically.
  func issueCode(_ code: AuthorizationCode, grant: Grant) async throws
  /// Marks the code consumed if and only if it is unconsumed and unexpired, atomically:
  /// of any number of concurrent calls for one code, exactly one gets `.consumed`.
  func consumeCode(hash: String, at time: Date) async throws -> CodeConsumption
  /// Consumes the code and executes the caller's plan in one transaction, so a consumed code
  /// never lacks the refresh token it paid for and a concurrent replay always sees the winner's
  /// token (and revokes it with the grant).
  ///
  /// `plan` runs inside the transaction, only when this call consumed the code and its grant is
  /// live: once per transaction attempt (a backend may retry a transaction that failed to
  /// serialize), so it must be a pure function of its arguments (no I/O, no shared state).
  /// `.issue` stores its refresh token and appends its audit event in that same transaction
  /// (one commit; neither without the other); `.refuse` stores nothing more and comes back as
  /// `.requestRefused`.
  func redeemCode(
    hash: String, at time: Date,
    plan: @escaping @Sendable (AuthorizationCode, Grant) -> CodeRedemptionPlan
  ) async throws -> CodeRedemption
  /// Housekeeping: removes codes that expired before `time`; returns how many.
  func deleteExpiredCodes(before time: Date) async throws -> Int
}

extension AuthorizationCodeStore {
  /// `redeemCode` that issues what `firstRefreshToken` builds, with no audit event.
  public func redeemCode(
    hash: String, at time: Date,
    firstRefreshToken: @escaping @Sendable (AuthorizationCode, Grant) -> RefreshToken?
  ) async throws -> CodeRedemption {
    try await redeemCode(hash: hash, at: time) { code, grant in
      .issue(refreshToken: firstRefreshToken(code, grant), event: nil)
    }
  }
}
