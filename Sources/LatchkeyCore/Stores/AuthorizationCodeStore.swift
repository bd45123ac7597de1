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

/// The answer of `AuthorizationCodeStore.redeemCode`.
public enum CodeRedemption: Sendable, Equatable {
  /// This call consumed the code; `refreshToken` (if the caller built one) is stored with it.
  case redeemed(AuthorizationCode, grant: Grant, refreshToken: RefreshToken?)
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
  /// Consumes the code and stores the first refresh token of its grant in one transaction, so
  /// a consumed code never lacks the token it paid for and a concurrent replay always sees the
  /// winner's token (and revokes it with the grant). `firstRefreshToken` runs inside the
  /// transaction; it returns nil when no refresh token is to be issued.
  ///
  /// `recording` also runs inside the transaction once the code is redeemed; the audit event it
  /// returns is appended in that same transaction, so a redemption and its audit line are stored
  /// together (one commit; neither without the other).
  func redeemCode(
    hash: String, at time: Date,
    firstRefreshToken: @escaping @Sendable (AuthorizationCode, Grant) -> RefreshToken?,
    recording: @escaping @Sendable (AuthorizationCode, Grant) -> AuditEvent?
  ) async throws -> CodeRedemption
  /// Housekeeping: removes codes that expired before `time`; returns how many.
  func deleteExpiredCodes(before time: Date) async throws -> Int
}

extension AuthorizationCodeStore {
  /// `redeemCode` with no audit event written in its transaction.
  public func redeemCode(
    hash: String, at time: Date,
    firstRefreshToken: @escaping @Sendable (AuthorizationCode, Grant) -> RefreshToken?
  ) async throws -> CodeRedemption {
    try await redeemCode(
      hash: hash, at: time, firstRefreshToken: firstRefreshToken, recording: { _, _ in nil })
  }
}
