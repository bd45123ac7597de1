import LatchkeyCore

/// JWT access tokens and API keys on one resource server, routed by the API-key prefix.
///
/// A bearer value starting with `lk_pat_` (`APIKeyFormat`) is an API key: a bad shape or
/// checksum is refused at once (`invalid_token`, nothing is asked of the AS), a well-formed key
/// goes to `apiKeys` (an ``IntrospectionAccessTokenVerifier``: RFC 7662, its positive and
/// negative answers cached, so a revoked key stops working within the cache time) and must
/// come back as an API key (`token_type` `api_key`). Everything else goes to `jwt`, usually a
/// ``JWTAccessTokenVerifier`` verifying offline. Without `apiKeys` a key is refused with
/// ``TokenRejection/apiKeysNeedIntrospection`` (401 `invalid_token` saying so).
public struct MixedAccessTokenVerifier: AccessTokenVerifier {
  /// Verifies everything that is not an API key.
  public let jwt: any AccessTokenVerifier
  /// Verifies API keys; nil refuses them.
  public let apiKeys: (any AccessTokenVerifier)?

  /// - Parameters:
  ///   - jwt: the verifier of OAuth access tokens (offline JWT verification).
  ///   - apiKeys: the verifier of API keys (introspection at the AS), or nil to refuse keys.
  public init(jwt: any AccessTokenVerifier, apiKeys: (any AccessTokenVerifier)?) {
    self.jwt = jwt
    self.apiKeys = apiKeys
  }

  public func verify(_ token: String) async throws(TokenRejection) -> VerifiedIdentity {
    switch APIKeyFormat.recognize(token) {
    case .notAnAPIKey:
      return try await jwt.verify(token)
    case .malformed:
      throw .invalid("malformed API key")
    case .wellFormed:
      guard let apiKeys else { throw .apiKeysNeedIntrospection }
      let identity = try await apiKeys.verify(token)
      guard identity.apiKey != nil else { throw .invalid("not introspected as an API key") }
      return identity
    }
  }
}
