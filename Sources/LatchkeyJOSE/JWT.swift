#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// JSON Web Tokens (RFC 7519) signed as compact JWS, e.g. RFC 9068 access tokens.
public enum JWT {
  /// Signs `claims` with header `{"alg", "typ": type, "kid": key.keyID}`.
  public static func sign(_ claims: JWTClaims, key: SigningKey, type: String = "JWT") throws
    -> String
  {
    let header = JOSEHeader(alg: key.algorithm.rawValue, typ: type, kid: key.keyID)
    return try JWS.compact(headerJSON: header.encoded(), payload: claims.encodedJSON(), key: key)
  }

  /// RFC 7519 §7.2: verifies the JWS, decodes the claims, then applies `validator`.
  public static func verify(
    _ token: String, keys: some VerificationKeyResolver, validator: JWTValidator, now: Int64
  ) throws(JWTValidationError) -> (header: JOSEHeader, claims: JWTClaims) {
    let verified: (header: JOSEHeader, payload: [UInt8])
    do {
      verified = try JWS.verify(token, keys: keys)
    } catch {
      throw .signature(error)
    }
    let claims = try decodeClaims(verified.payload)
    try validator.validate(claims, header: verified.header, now: now)
    return (verified.header, claims)
  }

  /// The header and claims of a token *before* any trust decision, to learn which key would
  /// verify it (RFC 7523 §3: a client assertion names its client in `sub`; RFC 7515 §4.1.4
  /// `kid`). Nothing read here may be trusted until `verify` has succeeded with that key.
  public static func unverifiedParts(_ token: String) throws(JWTValidationError) -> (
    header: JOSEHeader, claims: JWTClaims
  ) {
    let jws: CompactJWS
    let header: JOSEHeader
    do {
      jws = try CompactJWS.parse(token)
      header = try ProtectedHeader.decode(jws.header)
    } catch {
      throw .signature(error)
    }
    return (header, try decodeClaims(jws.payload))
  }

  /// RFC 7519 §7.2 step 10: the payload must be a JSON object of claims.
  static func decodeClaims(_ payload: [UInt8]) throws(JWTValidationError) -> JWTClaims {
    do {
      return try JSONDecoder().decode(JWTClaims.self, from: Data(payload))
    } catch {
      throw .signature(.invalidPayload)
    }
  }
}
