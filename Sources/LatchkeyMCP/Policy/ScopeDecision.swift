public import LatchkeyCore

/// Whether a token's scopes cover what a request needs.
public enum ScopeDecision: Sendable, Equatable {
  case allowed
  /// 403 `insufficient_scope`; `challengeScope` is what the challenge's `scope` carries.
  case insufficient(challengeScope: ScopeSet)

  /// RFC 6750 §3.1 `insufficient_scope`, MCP "Runtime Insufficient Scope Errors" / RS-12: the
  /// challenge names needed ∪ held so a client that replaces (rather than unions) its scopes
  /// does not lose what it had. Held scopes are widened by the policy's implications (RS-13).
  /// `offline_access` never appears in a challenge (RS-05).
  public static func decide(held: ScopeSet, needed: ScopeSet, policy: ScopePolicy) -> ScopeDecision
  {
    // Held scopes are part of the effective ones: most requests are decided without
    // expanding implications.
    if needed.tokens.allSatisfy(held.contains) { return .allowed }
    if needed.isSubset(of: policy.effectiveScopes(held)) { return .allowed }
    let challenge = needed.union(held).subtracting(ScopeSet(["offline_access"]))
    return .insufficient(challengeScope: challenge)
  }
}
