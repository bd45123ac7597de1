public import Foundation

/// Decisions about API keys, as pure functions: what a new key may hold, and whether a
/// presented key is active.
public enum APIKeyRule {
  /// The `token_type` introspection answers for an API key (RFC 7662 §2.2 leaves the values
  /// open); resource servers accept it like an access token.
  public static let tokenType = "api_key"

  /// A use is recorded at most this often per key (seconds).
  public static let useRecordInterval: TimeInterval = 3600

  /// Why a key is not active.
  public enum Inactive: Sendable, Equatable {
    case revoked
    case expired
    /// The user is disabled or gone, or the client is gone.
    case ownerUnavailable
  }

  /// The scopes of a new key (RFC 6749 §3.3 applied to a key the operator issues).
  ///
  /// A personal key acts as its user: the operator who creates it speaks for the user, so the
  /// ceiling is what the resource offers (no consent record is asked for, as for a first
  /// authorization the user would approve). A service key acts as its client: the ceiling is
  /// the client's allowed scopes at the resource, exactly as for `client_credentials`
  /// (`ScopeRule.resolveForClient`). Omitted → the resource's default scopes (personal) or
  /// everything permitted (service); a scope outside the ceiling is `invalid_scope`, never
  /// dropped; an empty result is refused.
  public static func scopes(
    requested: ScopeSet?, resource: Resource, serviceClient: Client?
  ) -> Result<ScopeSet, OAuthError> {
    if let serviceClient {
      return ScopeRule.resolveForClient(
        requested: requested, resource: resource, client: serviceClient)
    }
    let offered = resource.offeredScopes
    guard let requested, !requested.isEmpty else {
      guard !resource.defaultScopes.isEmpty else {
        return .failure(OAuthError(.invalidScope, "The resource has no default scopes."))
      }
      return .success(resource.defaultScopes)
    }
    guard requested.isSubset(of: offered) else {
      return .failure(
        OAuthError(
          .invalidScope,
          "The resource does not offer " + requested.subtracting(offered).parameter + "."))
    }
    return .success(requested)
  }

  /// Whether `key` is active at `now` (RFC 7662 §2.2 `active`): not revoked, not expired, and
  /// its owner still able to act (`ownerAvailable`: the user exists and is not disabled, or the
  /// client exists).
  public static func inactive(_ key: APIKey, ownerAvailable: Bool, now: Date) -> Inactive? {
    if key.revokedAt != nil { return .revoked }
    if now >= key.expiresAt { return .expired }
    if !ownerAvailable { return .ownerUnavailable }
    return nil
  }

  /// Whether a use at `now` should be written (`useRecordInterval`).
  public static func shouldRecordUse(lastUsedAt: Date?, now: Date) -> Bool {
    guard let lastUsedAt else { return true }
    return now.timeIntervalSince(lastUsedAt) >= useRecordInterval
  }
}
