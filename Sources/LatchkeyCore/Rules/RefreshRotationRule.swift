public import Foundation

/// What a store does with a presented refresh token, decided from the rows it read inside its
/// transaction. One pure function so every backend keeps the same promises.
public enum RefreshRotationDecision: Sendable, Equatable {
  /// Issue a successor and mark the presented token rotated.
  case rotate
  /// A retry inside the grace window: answer with the successor already issued.
  case replay
  /// The token was used after rotation: revoke the grant and all its tokens.
  case revokeFamily
  /// Refuse without side effects (expired, revoked, wrong client, …).
  case refuse(RefreshTokenRefusal)
}

/// The decision every store applies when a refresh token is presented.
public enum RefreshRotationRule {
  /// OAuth 2.1 §4.3.1 and RFC 9700 §4.14.2: refresh tokens of public clients are rotated on
  /// every use; presenting an already rotated token means it leaked, so the AS revokes the
  /// whole family. A retry within `graceWindow` of the rotation, while the successor is still
  /// unused and live, is treated as a lost response and answered idempotently.
  public static func decide(
    parent: RefreshToken?, grant: Grant?, successor: RefreshToken?, now: Date,
    graceWindow: TimeInterval
  ) -> RefreshRotationDecision {
    guard let parent else { return .refuse(.notFound) }
    guard let grant, grant.revokedAt == nil, parent.revokedAt == nil else {
      return .refuse(.revoked)
    }
    guard let rotatedAt = parent.rotatedAt else {
      if now >= parent.expiresAt || now >= grant.expiresAt { return .refuse(.expired) }
      return .rotate
    }
    if let successor, now.timeIntervalSince(rotatedAt) <= graceWindow,
      successor.rotatedAt == nil, successor.revokedAt == nil, now < successor.expiresAt
    {
      return .replay
    }
    return .revokeFamily
  }
}
