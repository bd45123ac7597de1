/// JWK Thumbprints (RFC 7638).
public enum JWKThumbprint {
  /// RFC 7638 §3: base64url(SHA-256(canonical JSON of the required members)).
  public static func sha256(_ jwk: JWK) throws -> String {
    Base64URL.encode(Digest.sha256(try canonicalJSON(jwk)))
  }

  /// RFC 7638 §3.2/§3.3: only the required members of the key type (RFC 7518 §6.2.1, §6.3.1;
  /// RFC 8037 §2), in lexicographic order of their names, without whitespace.
  static func canonicalJSON(_ jwk: JWK) throws -> [UInt8] {
    var writer = JSONWriter()
    switch jwk.kty {
    case "EC":
      guard let crv = jwk.crv, let x = jwk.x, let y = jwk.y else { throw JOSEKeyError.invalidJWK }
      writer.add("crv", crv)
      writer.add("kty", "EC")
      writer.add("x", x)
      writer.add("y", y)
    case "RSA":
      guard let e = jwk.e, let n = jwk.n else { throw JOSEKeyError.invalidJWK }
      writer.add("e", e)
      writer.add("kty", "RSA")
      writer.add("n", n)
    case "OKP":
      guard let crv = jwk.crv, let x = jwk.x else { throw JOSEKeyError.invalidJWK }
      writer.add("crv", crv)
      writer.add("kty", "OKP")
      writer.add("x", x)
    default:
      throw JWSError.unsupportedKey
    }
    return writer.finish()
  }
}
