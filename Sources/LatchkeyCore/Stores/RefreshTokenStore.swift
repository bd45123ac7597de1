public import Foundation

/// The answer of `RefreshTokenStore.issueRefreshToken`.
public enum RefreshTokenIssuance: Sendable, Equatable {
  case issued
  /// The grant is revoked or past its absolute expiry: nothing was stored.
  case grantNotLive
}

/// Why a presented refresh token is refused without any change.
public enum RefreshTokenRefusal: Sendable, Equatable {
  case notFound
  case expired
  /// The token or its grant was revoked.
  case revoked
}

/// The answer of `RefreshTokenStore.rotateRefreshToken`.
public enum RefreshRotation: Sendable, Equatable {
  /// The parent was live; it is now rotated and `successor` is stored.
  case rotated(parent: RefreshToken, successor: RefreshToken)
  /// The parent was rotated less than the grace window ago and its successor is still unused
  /// and live: an idempotent retry (e.g. the client lost the response). Nothing changed.
  case replayedWithinGrace(parent: RefreshToken, successor: RefreshToken)
  /// The parent was rotated before and this replay is outside the grace window, or its
  /// successor was already used: the whole grant family is now revoked (RFC 9700 §4.14.2).
  case reuseDetected(grantID: String)
  case refused(RefreshTokenRefusal)
}

/// Refresh tokens, stored by hash, rotated on every use.
public protocol RefreshTokenStore: Sendable {
  /// Stores a refresh token if its grant is live, atomically.
  func issueRefreshToken(_ token: RefreshToken) async throws -> RefreshTokenIssuance
  /// Rotates the token whose hash is `hash`, atomically.
  ///
  /// `makeSuccessor` runs inside the transaction with the live parent and its grant, and returns
  /// the successor to store; if it throws, nothing changes and the error propagates (this is
  /// where the caller checks the client and narrows scopes). When the token is rotated,
  /// `recording` gets the stored successor and the grant, and the audit event it returns is
  /// appended in the same transaction.
  func rotateRefreshToken(
    hash: String, at time: Date, graceWindow: TimeInterval,
    makeSuccessor: @escaping @Sendable (RefreshToken, Grant) throws -> RefreshToken,
    recording: @escaping @Sendable (RefreshToken, Grant) -> AuditEvent?
  ) async throws -> RefreshRotation
  func refreshToken(hash: String) async throws -> RefreshToken?
  /// Housekeeping: removes refresh tokens that expired before `time`; returns how many.
  func deleteExpiredRefreshTokens(before time: Date) async throws -> Int
}

extension RefreshTokenStore {
  /// `rotateRefreshToken` with no audit event written in its transaction.
  public func rotateRefreshToken(
    hash: String, at time: Date, graceWindow: TimeInterval,
    makeSuccessor: @escaping @Sendable (RefreshToken, Grant) throws -> RefreshToken
  ) async throws -> RefreshRotation {
    try await rotateRefreshToken(
      hash: hash, at: time, graceWindow: graceWindow, makeSuccessor: makeSuccessor,
      recording: { _, _ in nil })
  }
}
