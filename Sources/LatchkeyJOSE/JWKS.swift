/// A JWK Set (RFC 7517 §5), as served at a `jwks_uri`.
public struct JWKS: Codable, Sendable, Hashable {
  /// The keys (RFC 7517 §5.1).
  public var keys: [JWK]

  /// A set of `keys`.
  public init(keys: [JWK]) {
    self.keys = keys
  }
}
