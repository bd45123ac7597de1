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

/// What a store writes when it rotates a live refresh token, decided by the caller.
public struct RefreshRotationWrites: Sendable, Equatable {
  /// The token stored in place of the presented one; its `parentHash` is the presented hash.
  public var successor: RefreshToken
  /// The scopes of the access token issued with `successor` (narrowed per OAuth 2.1 §4.3.1);
  /// the store hands them back untouched, so the caller decides them once.
  public var accessScopes: ScopeSet
  /// Appended in the transaction that rotates the token.
  public var event: AuditEvent?

  /// Writes that store `successor` and append `event`.
  public init(successor: RefreshToken, accessScopes: ScopeSet, event: AuditEvent? = nil) {
    self.successor = successor
    self.accessScopes = accessScopes
    self.event = event
  }
}

/// What the caller decides for a live refresh token from the token request and the parent and
/// grant the store read in its transaction (a pure function).
public enum RefreshRotationPlan: Sendable, Equatable {
  /// Rotate: store the successor and the event, mark the parent rotated.
  case rotate(RefreshRotationWrites)
  /// The request does not fit the token (another client, another resource, a wider scope):
  /// nothing changes, so the token stays usable by its rightful client.
  case refuse(OAuthError)
}

/// The answer of `RefreshTokenStore.rotateRefreshToken`.
public enum RefreshRotation: Sendable, Equatable {
  /// The parent was live; it is now rotated and the plan's writes are stored. `grant` is the
  /// grant as read in the transaction.
  case rotated(parent: RefreshToken, grant: Grant, writes: RefreshRotationWrites)
  /// The parent was rotated less than the grace window ago and its successor is still unused
  /// and live: an idempotent retry (e.g. the client lost the response). Nothing changed, and
  /// the plan was not asked.
  case replayedWithinGrace(parent: RefreshToken, successor: RefreshToken, grant: Grant)
  /// The parent was rotated before and this replay is outside the grace window, or its
  /// successor was already used: the whole grant family is now revoked (RFC 9700 §4.14.2).
  case reuseDetected(grantID: String)
  case refused(RefreshTokenRefusal)
  /// The parent was live but the caller's plan refused the request: nothing changed.
  case requestRefused(OAuthError)
}

/// Refresh tokens, stored by hash, rotated on every use.
public protocol RefreshTokenStore: Sendable {
  /// Stores a refresh token if its grant is live, atomically.
  func issueRefreshToken(_ token: RefreshToken) async throws -> RefreshTokenIssuance
  /// Rotates the token whose hash is `hash`, atomically, deciding with `RefreshRotationRule`.
  ///
  /// When the rule says rotate, `plan` gets the live parent and its grant inside the
  /// transaction: once per transaction attempt (a backend may retry a transaction that failed
  /// to serialize), so it must be a pure function of its arguments. `.rotate` stores the
  /// successor, marks the parent rotated and appends the event in that transaction;
  /// `.refuse` changes nothing and comes back as `.requestRefused`.
  func rotateRefreshToken(
    hash: String, at time: Date, graceWindow: TimeInterval,
    plan: @escaping @Sendable (RefreshToken, Grant) -> RefreshRotationPlan
  ) async throws -> RefreshRotation
  func refreshToken(hash: String) async throws -> RefreshToken?
  /// Housekeeping: removes refresh tokens that expired before `time`; returns how many.
  func deleteExpiredRefreshTokens(before time: Date) async throws -> Int
}

extension RefreshTokenStore {
  /// `rotateRefreshToken` that rotates to what `makeSuccessor` builds (access scopes: the
  /// successor's), with no audit event.
  public func rotateRefreshToken(
    hash: String, at time: Date, graceWindow: TimeInterval,
    makeSuccessor: @escaping @Sendable (RefreshToken, Grant) -> RefreshToken
  ) async throws -> RefreshRotation {
    try await rotateRefreshToken(hash: hash, at: time, graceWindow: graceWindow) {
      let successor = makeSuccessor($0, $1)
      return .rotate(RefreshRotationWrites(successor: successor, accessScopes: successor.scopes))
    }
  }
}
