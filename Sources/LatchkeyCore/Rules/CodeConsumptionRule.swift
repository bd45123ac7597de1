public import Foundation

/// Why a store does not consume a presented authorization code.
public enum CodeRefusal: Sendable, Equatable {
  /// The code was consumed before: a replay (OAuth 2.1 §4.1.3). Names the grant to revoke.
  case alreadyUsed(grantID: String)
  /// The code exists, unconsumed, but is past its expiry. Left unconsumed.
  case expired
  /// No such code.
  case notFound
}

/// What a store does with a presented authorization code, decided from the row it read.
public enum CodeConsumptionDecision: Sendable, Equatable {
  /// Consume it: the code as it is once consumed (`consumedAt` is now).
  case consume(AuthorizationCode)
  /// Leave it as it is.
  case refuse(CodeRefusal)
}

/// The decision every store applies when an authorization code is redeemed, and the writes of
/// a redemption.
public enum CodeConsumptionRule {
  /// OAuth 2.1 §4.1.2 and §4.1.3: a code is short-lived and redeemable once; a second
  /// redemption is a replay whose grant must be revoked. An expired code is refused but not
  /// consumed, so its expiry is not mistaken for a replay.
  public static func decide(code: AuthorizationCode?, now: Date) -> CodeConsumptionDecision {
    guard var code else { return .refuse(.notFound) }
    if code.consumedAt != nil { return .refuse(.alreadyUsed(grantID: code.grantID)) }
    if now >= code.expiresAt { return .refuse(.expired) }
    code.consumedAt = now
    return .consume(code)
  }

  /// OAuth 2.1 §4.1.3: the write plan of `redeemCode` once this transaction consumed the code.
  /// A grant revoked or expired meanwhile issues nothing; otherwise the caller's `request` plan
  /// (its binding checks) chooses between the grant's first refresh token and audit event and
  /// a refusal that writes nothing more (the code stays consumed either way).
  public static func redemption(
    of consumed: AuthorizationCode, grant: Grant?, now: Date,
    request: (AuthorizationCode, Grant) throws -> CodeRedemptionPlan
  ) rethrows -> WritePlan<CodeRedemption> {
    guard let grant, grant.isLive(at: now) else {
      return WritePlan(answer: .grantNotLive(grantID: consumed.grantID))
    }
    switch try request(consumed, grant) {
    case .refuse(let error):
      return WritePlan(answer: .requestRefused(consumed, error: error))
    case .issue(let token, let event):
      return WritePlan(
        writes: TokenWrites(insertRefreshToken: token, appendAudit: event),
        answer: .redeemed(consumed, grant: grant, refreshToken: token))
    }
  }
}

extension CodeConsumption {
  /// The answer of `consumeCode` for a code it did not consume.
  public init(_ refusal: CodeRefusal) {
    switch refusal {
    case .alreadyUsed(let grantID): self = .alreadyUsed(grantID: grantID)
    case .expired: self = .expired
    case .notFound: self = .notFound
    }
  }
}

extension CodeRedemption {
  /// The answer of `redeemCode` for a code it did not consume.
  public init(_ refusal: CodeRefusal) {
    switch refusal {
    case .alreadyUsed(let grantID): self = .alreadyUsed(grantID: grantID)
    case .expired: self = .expired
    case .notFound: self = .notFound
    }
  }
}
