/// A fixed set of keys, looked up by their JWK `kid`. A token without `kid` is accepted only
/// when the set holds exactly one key (otherwise the choice would be ambiguous).
public struct StaticKeyResolver: VerificationKeyResolver {
  private let keys: [VerificationKey]
  private let byKeyID: [String: VerificationKey]

  /// A resolver over `keys`, looked up by `kid`.
  public init(_ keys: [VerificationKey]) {
    self.keys = keys
    var byKeyID: [String: VerificationKey] = [:]
    for key in keys {
      byKeyID[key.jwk.kid ?? key.thumbprint] = key
      byKeyID[key.thumbprint] = byKeyID[key.thumbprint] ?? key
    }
    self.byKeyID = byKeyID
  }

  /// The key with id `kid`; with no `kid`, the only key when there is exactly one.
  public func key(forKeyID kid: String?) -> VerificationKey? {
    guard let kid else { return keys.count == 1 ? keys[0] : nil }
    return byKeyID[kid]
  }
}
