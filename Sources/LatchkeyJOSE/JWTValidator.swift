/// Claim checks for a verified JWT (RFC 7519 §4.1, RFC 9068 §4).
public struct JWTValidator: Sendable {
  /// Expected `iss`, or nil to skip the check.
  public var issuer: String?
  /// Audience that must be among `aud`, or nil to skip the check.
  public var audience: String?
  /// Allowed clock skew in seconds.
  public var leeway: Int64
  /// Whether a token without `exp` is rejected.
  public var requireExpiry: Bool
  /// Expected header `typ` (e.g. "at+jwt"), or nil to skip the check.
  public var expectedType: String?

  /// - Parameters:
  ///   - issuer: the required `iss`, or nil to skip the check.
  ///   - audience: a value `aud` must contain, or nil to skip the check.
  ///   - leeway: allowed clock skew in seconds for `exp`, `nbf` and `iat`.
  ///   - requireExpiry: refuse tokens without `exp`.
  ///   - expectedType: the required header `typ`, or nil to skip the check.
  public init(
    issuer: String?, audience: String?, leeway: Int64 = 60, requireExpiry: Bool = true,
    expectedType: String? = nil
  ) {
    self.issuer = issuer
    self.audience = audience
    self.leeway = max(0, leeway)
    self.requireExpiry = requireExpiry
    self.expectedType = expectedType
  }

  /// Runs every check; the first failure is thrown.
  public func validate(_ claims: JWTClaims, header: JOSEHeader, now: Int64)
    throws(JWTValidationError)
  {
    try checkType(header)
    try checkIssuer(claims)
    try checkAudience(claims)
    try checkExpiry(claims, now: now)
    try checkNotBefore(claims, now: now)
    try checkIssuedAt(claims, now: now)
  }

  /// RFC 9068 §4 / RFC 8725 §3.11: `typ` must be the expected media type. Comparison ignores
  /// case and an "application/" prefix (RFC 7515 §4.1.9).
  func checkType(_ header: JOSEHeader) throws(JWTValidationError) {
    guard let expectedType else { return }
    guard let typ = header.typ, Self.mediaType(typ) == Self.mediaType(expectedType) else {
      throw .wrongType
    }
  }

  /// RFC 9068 §4: `iss` must exactly match the expected issuer identifier.
  func checkIssuer(_ claims: JWTClaims) throws(JWTValidationError) {
    guard let issuer else { return }
    if claims.iss != issuer { throw .wrongIssuer }
  }

  /// RFC 7519 §4.1.3: the validator's audience must be one of the `aud` values.
  func checkAudience(_ claims: JWTClaims) throws(JWTValidationError) {
    guard let audience else { return }
    if claims.aud?.contains(audience) != true { throw .wrongAudience }
  }

  /// RFC 7519 §4.1.4: now must be before `exp`, with `leeway` seconds of allowed skew, so a
  /// token is rejected once `now >= exp + leeway`.
  func checkExpiry(_ claims: JWTClaims, now: Int64) throws(JWTValidationError) {
    guard let exp = claims.exp else {
      if requireExpiry { throw .missingExpiry }
      return
    }
    if exp <= now.subtractingSaturated(leeway) { throw .expired }
  }

  /// RFC 7519 §4.1.5: now must be at or after `nbf`, less `leeway`.
  func checkNotBefore(_ claims: JWTClaims, now: Int64) throws(JWTValidationError) {
    guard let nbf = claims.nbf else { return }
    if nbf > now.addingSaturated(leeway) { throw .notYetValid }
  }

  /// RFC 7519 §4.1.6: a token issued after now (beyond `leeway`) is rejected.
  func checkIssuedAt(_ claims: JWTClaims, now: Int64) throws(JWTValidationError) {
    guard let iat = claims.iat else { return }
    if iat > now.addingSaturated(leeway) { throw .issuedInFuture }
  }

  private static func mediaType(_ value: String) -> String {
    let lowered = value.lowercased()
    return lowered.hasPrefix("application/")
      ? String(lowered.dropFirst("application/".count)) : lowered
  }
}

extension Int64 {
  fileprivate func addingSaturated(_ other: Int64) -> Int64 {
    let (sum, overflow) = addingReportingOverflow(other)
    return overflow ? (other > 0 ? .max : .min) : sum
  }

  fileprivate func subtractingSaturated(_ other: Int64) -> Int64 {
    let (difference, overflow) = subtractingReportingOverflow(other)
    return overflow ? (other > 0 ? .min : .max) : difference
  }
}
