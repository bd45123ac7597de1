import LatchkeyJOSE

/// The checks on an upstream provider's id_token after its signature was verified with a key
/// from the provider's `jwks_uri` (OpenID Connect Core §3.1.3.7).
enum IDTokenRule {
  /// Why an id_token is refused; never shown with the token itself.
  enum Refusal: String, Error, Equatable {
    case algorithmNotAllowed = "algorithm not allowed"
    case wrongIssuer = "wrong issuer"
    case wrongAudience = "wrong audience"
    case wrongAuthorizedParty = "wrong authorized party"
    case expired = "expired"
    case issuedInFuture = "issued in the future"
    case wrongNonce = "wrong nonce"
    case noSubject = "no subject"
  }

  /// What the id_token must say.
  struct Expectation: Sendable {
    var issuer: String
    var clientID: String
    var nonce: String
    var allowedAlgorithms: [JWSAlgorithm]
    /// Seconds of clock skew tolerated for `exp` and `iat`.
    var leeway: Int64 = 60
  }

  /// OpenID Connect Core §3.1.3.7 step 6 and RFC 8725 §3.1: only algorithms the operator
  /// allowed; `none` and HMAC are not `JWSAlgorithm`s, so they are never among them.
  static func checkAlgorithm(_ alg: String, _ expectation: Expectation) -> Refusal? {
    expectation.allowedAlgorithms.contains { $0.rawValue == alg } ? nil : .algorithmNotAllowed
  }

  /// OpenID Connect Core §3.1.3.7 steps 2–4, 9, 10 and 11 over the verified claims: `iss`
  /// exactly the issuer; `aud` contains our client id; `azp`, when present or when there are
  /// several audiences, is our client id; `exp` in the future and `iat` not in the future
  /// (with leeway); `nonce` the one sent (constant-time); a `sub` of at most 255 characters
  /// (OpenID Connect Core §2) without control characters.
  static func check(
    _ claims: IDTokenClaims, _ expectation: Expectation, now: Int64
  ) -> Refusal? {
    guard claims.iss == expectation.issuer else { return .wrongIssuer }
    guard claims.aud.contains(expectation.clientID) else { return .wrongAudience }
    if claims.aud.count > 1 || claims.azp != nil {
      guard claims.azp == expectation.clientID else { return .wrongAuthorizedParty }
    }
    guard let exp = claims.exp, exp + expectation.leeway > now else { return .expired }
    guard let iat = claims.iat, iat - expectation.leeway <= now else { return .issuedInFuture }
    guard let nonce = claims.nonce, ConstantTime.equals(nonce, expectation.nonce) else {
      return .wrongNonce
    }
    guard let sub = claims.sub, (1...255).contains(sub.utf8.count),
      !sub.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
    else { return .noSubject }
    return nil
  }
}
