public import LatchkeyJOSE

/// The claims of a `private_key_jwt` client assertion (RFC 7523 §2.2, §3; OpenID Connect Core
/// §9), after its signature was verified with one of the client's public keys.
public enum ClientAssertionRule {
  /// RFC 7523 §2.2 `client_assertion_type`.
  public static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
  /// The longest an assertion may live from now (seconds): a short-lived proof, and the time
  /// its `jti` must be remembered.
  public static let maximumLifetime: Int64 = 300
  /// Signature algorithms a client may use; the key decides (no `none`, no HMAC).
  public static let algorithms = ["ES256", "EdDSA", "RS256"]

  /// Why an assertion is refused (`invalid_client`, never saying which to the client).
  public enum Problem: String, Sendable, Equatable {
    /// §3 item 1: `iss` must be the client id.
    case wrongIssuer
    /// §3 item 2.B: `sub` must be the client id.
    case wrongSubject
    /// §3 item 3: `aud` must name this server (the token endpoint URL or the issuer).
    case wrongAudience
    /// §3 item 4: `exp` is required.
    case missingExpiry
    /// Past its `exp`.
    case expired
    /// `exp` further away than `maximumLifetime`.
    case livesTooLong
    /// §3 item 7: `jti` is required (single use).
    case missingID
  }

  /// Checks the claims of a verified assertion of `clientID`, for a server whose token endpoint
  /// and issuer are `audiences`, at `now` (seconds), with `leeway` seconds of clock skew.
  public static func problem(
    _ claims: JWTClaims, clientID: String, audiences: [String], now: Int64, leeway: Int64
  ) -> Problem? {
    guard claims.iss == clientID else { return .wrongIssuer }
    guard claims.sub == clientID else { return .wrongSubject }
    guard let aud = claims.aud, audiences.contains(where: aud.contains) else {
      return .wrongAudience
    }
    guard let exp = claims.exp else { return .missingExpiry }
    guard exp > now - leeway else { return .expired }
    guard exp <= now + maximumLifetime + leeway else { return .livesTooLong }
    guard let jti = claims.jti, !jti.isEmpty else { return .missingID }
    return nil
  }
}
