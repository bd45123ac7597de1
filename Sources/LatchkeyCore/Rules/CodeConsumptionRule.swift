public import Foundation

/// The decision every store applies when an authorization code is redeemed.
public enum CodeConsumptionRule {
  /// OAuth 2.1 §4.1.2 and §4.1.3: a code is short-lived and redeemable once; a second
  /// redemption is a replay whose grant must be revoked. An expired code is refused but not
  /// consumed, so its expiry is not mistaken for a replay.
  public static func decide(code: AuthorizationCode?, now: Date) -> CodeConsumption? {
    guard let code else { return .notFound }
    if code.consumedAt != nil { return .alreadyUsed(grantID: code.grantID) }
    if now >= code.expiresAt { return .expired }
    return nil  // the caller consumes it
  }
}
