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
    case tenantNotAllowed = "tenant not allowed"
  }

  /// What the id_token must say.
  struct Expectation: Sendable {
    var issuer: String
    var clientID: String
    var nonce: String
    var allowedAlgorithms: [JWSAlgorithm]
    /// Seconds of clock skew tolerated for `exp` and `iat`.
    var leeway: Int64 = 60
    /// Entra ID `common`/`organizations`: `iss` must be this with the token's `tid` in place
    /// of `{tenantid}` (`IdentityProviderConfiguration.issuerTemplate`).
    var issuerTemplate: String? = nil
    /// With a template: when non-empty, the `tid`s accepted.
    var allowedTenants: [String] = []
  }

  /// The `iss` an id_token must carry: the issuer, compared exactly (OpenID Connect Core
  /// §3.1.3.7 step 2); with an issuer template (Microsoft identity platform, multi-tenant
  /// endpoints: the discovery `issuer` is `https://login.microsoftonline.com/{tenantid}/v2.0`)
  /// the template with the token's own `tid` substituted — and only a `tid` that is a GUID, so
  /// nothing but a directory id can be spliced into the comparison. Nil when there is none.
  static func expectedIssuer(_ claims: IDTokenClaims, _ expectation: Expectation) -> String? {
    guard let template = expectation.issuerTemplate else { return expectation.issuer }
    guard let tid = claims.tenantID, IdentityProviderConfiguration.isGUID(tid) else {
      return nil
    }
    return template.replacingOccurrences(
      of: IdentityProviderConfiguration.entraTenantPlaceholder, with: tid)
  }

  /// OpenID Connect Core §3.1.3.7 step 6 and RFC 8725 §3.1: only algorithms the operator
  /// allowed; `none` and HMAC are not `JWSAlgorithm`s, so they are never among them.
  static func checkAlgorithm(_ alg: String, _ expectation: Expectation) -> Refusal? {
    expectation.allowedAlgorithms.contains { $0.rawValue == alg } ? nil : .algorithmNotAllowed
  }

  /// OpenID Connect Core §3.1.3.7 steps 2–4, 9, 10 and 11 over the verified claims: `iss`
  /// exactly the issuer (or its template's instance, `expectedIssuer`; then the `tid` among
  /// `allowedTenants` when those are given); `aud` contains our client id; `azp`, when present or when there are
  /// several audiences, is our client id; `exp` in the future and `iat` not in the future
  /// (with leeway); `nonce` the one sent (constant-time); a `sub` of at most 255 characters
  /// (OpenID Connect Core §2) without control characters.
  static func check(
    _ claims: IDTokenClaims, _ expectation: Expectation, now: Int64
  ) -> Refusal? {
    guard let iss = claims.iss, iss == expectedIssuer(claims, expectation) else {
      return .wrongIssuer
    }
    if expectation.issuerTemplate != nil, !expectation.allowedTenants.isEmpty {
      guard let tid = claims.tenantID,
        expectation.allowedTenants.contains(where: { $0.lowercased() == tid.lowercased() })
      else { return .tenantNotAllowed }
    }
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
