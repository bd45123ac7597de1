/// The JOSE protected header members Latchkey uses (RFC 7515 §4.1).
public struct JOSEHeader: Codable, Sendable, Equatable {
  /// Algorithm (RFC 7515 §4.1.1).
  public var alg: String
  /// Media type of the complete JWS, e.g. "JWT" or "at+jwt" (RFC 7515 §4.1.9).
  public var typ: String?
  /// Key ID (RFC 7515 §4.1.4).
  public var kid: String?

  /// Creates a header with `alg` and the optional `typ` and `kid`.
  public init(alg: String, typ: String? = nil, kid: String? = nil) {
    self.alg = alg
    self.typ = typ
    self.kid = kid
  }

  /// Compact JSON with members in the order alg, typ, kid (the signing hot path).
  func encoded() -> [UInt8] {
    var writer = JSONWriter(capacity: 96)
    writer.add("alg", alg)
    if let typ { writer.add("typ", typ) }
    if let kid { writer.add("kid", kid) }
    return writer.finish()
  }
}
