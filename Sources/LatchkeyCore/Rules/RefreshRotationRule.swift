public import Foundation

/// What a store does with a presented refresh token, decided from the rows it read inside its
/// transaction. One pure function so every backend keeps the same promises.
public enum RefreshRotationDecision: Sendable, Equatable {
  /// Issue a successor and mark the presented (live) token rotated.
  case rotate(parent: RefreshToken, grant: Grant)
  /// A retry inside the grace window: answer with the successor already issued.
  case replay(parent: RefreshToken, successor: RefreshToken, grant: Grant)
  /// The token was used after rotation: revoke the grant and all its tokens.
  case revokeFamily(grantID: String)
  /// Refuse without side effects (expired, revoked, not found).
  case refuse(RefreshTokenRefusal)
}

/// The decision every store applies when a refresh token is presented, and the writes that
/// carry it out.
public enum RefreshRotationRule {
  /// The `revocation_reason` of a grant revoked for a reused refresh token.
  public static let reuseRevocationReason = "refresh_token_reuse"

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
      return .rotate(parent: parent, grant: grant)
    }
    if let successor, now.timeIntervalSince(rotatedAt) <= graceWindow,
      successor.rotatedAt == nil, successor.revokedAt == nil, now < successor.expiresAt
    {
      return .replay(parent: parent, successor: successor, grant: grant)
    }
    return .revokeFamily(grantID: parent.grantID)
  }

  /// OAuth 2.1 §4.3.1, RFC 9700 §4.14.2: the write plan of `rotateRefreshToken` for the rows
  /// read. `decide` chooses; on `.rotate` the caller's `request` plan (its binding checks)
  /// chooses between the successor it builds (insert the successor, mark the parent rotated,
  /// append its event) and a refusal that writes nothing; `.revokeFamily` revokes the grant
  /// and its tokens; a replay or a refusal writes nothing.
  public static func plan(
    parent: RefreshToken?, grant: Grant?, successor: RefreshToken?, now: Date,
    graceWindow: TimeInterval,
    request: (RefreshToken, Grant) throws -> RefreshRotationPlan
  ) rethrows -> WritePlan<RefreshRotation> {
    switch decide(
      parent: parent, grant: grant, successor: successor, now: now, graceWindow: graceWindow)
    {
    case .refuse(let reason):
      return WritePlan(answer: .refused(reason))
    case .replay(let parent, let successor, let grant):
      return WritePlan(
        answer: .replayedWithinGrace(parent: parent, successor: successor, grant: grant))
    case .revokeFamily(let grantID):
      let revocation = FamilyRevocation(
        grantID: grantID, revokedAt: now, reason: reuseRevocationReason)
      return WritePlan(
        writes: TokenWrites(revokeFamily: revocation), answer: .reuseDetected(grantID: grantID))
    case .rotate(var parent, let grant):
      switch try request(parent, grant) {
      case .refuse(let error):
        return WritePlan(answer: .requestRefused(error))
      case .rotate(let planned):
        let mark = RotationMark(
          tokenHash: parent.tokenHash, rotatedAt: now, successorHash: planned.successor.tokenHash)
        parent.rotatedAt = now
        parent.successorHash = planned.successor.tokenHash
        return WritePlan(
          writes: TokenWrites(
            insertRefreshToken: planned.successor, markRotated: mark, appendAudit: planned.event),
          answer: .rotated(parent: parent, grant: grant, writes: planned))
      }
    }
  }
}
