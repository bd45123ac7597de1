/// Registered JWT claims (RFC 7519 §4.1) plus `client_id` and `scope` (RFC 9068 §2.2).
public struct JWTClaims: Codable, Sendable, Equatable {
  /// Issuer (RFC 7519 §4.1.1).
  public var iss: String?
  /// Subject (RFC 7519 §4.1.2).
  public var sub: String?
  /// Audience (RFC 7519 §4.1.3).
  public var aud: Audience?
  /// Expiration time, seconds since the epoch (RFC 7519 §4.1.4).
  public var exp: Int64?
  /// Not before (RFC 7519 §4.1.5).
  public var nbf: Int64?
  /// Issued at (RFC 7519 §4.1.6).
  public var iat: Int64?
  /// JWT ID (RFC 7519 §4.1.7).
  public var jti: String?
  /// `client_id` (RFC 9068 §2.2, RFC 8693 §4.3).
  public var clientID: String?
  /// Space-separated scopes (RFC 9068 §2.2.3, RFC 8693 §4.2).
  public var scope: String?

  /// Creates a claims set; absent claims are omitted when encoded.
  public init(
    iss: String? = nil, sub: String? = nil, aud: Audience? = nil, exp: Int64? = nil,
    nbf: Int64? = nil, iat: Int64? = nil, jti: String? = nil, clientID: String? = nil,
    scope: String? = nil
  ) {
    self.iss = iss
    self.sub = sub
    self.aud = aud
    self.exp = exp
    self.nbf = nbf
    self.iat = iat
    self.jti = jti
    self.clientID = clientID
    self.scope = scope
  }

  private enum CodingKeys: String, CodingKey {
    case iss, sub, aud, exp, nbf, iat, jti, scope
    case clientID = "client_id"
  }

  /// Compact JSON of the present claims (the signing hot path; same result as `Codable`).
  func encodedJSON() -> [UInt8] {
    var writer = JSONWriter(capacity: 320)
    if let iss { writer.add("iss", iss) }
    if let sub { writer.add("sub", sub) }
    switch aud {
    case .one(let value): writer.add("aud", value)
    case .many(let values): writer.add("aud", values)
    case nil: break
    }
    if let exp { writer.add("exp", exp) }
    if let nbf { writer.add("nbf", nbf) }
    if let iat { writer.add("iat", iat) }
    if let jti { writer.add("jti", jti) }
    if let clientID { writer.add("client_id", clientID) }
    if let scope { writer.add("scope", scope) }
    return writer.finish()
  }
}
