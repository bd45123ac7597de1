/// What a verifier has done so far.
public struct VerifierStatistics: Sendable, Equatable {
  /// Full JWS verifications attempted (the expensive path).
  public var signatureVerifications: Int
  /// Tokens answered from the verified-token cache.
  public var cacheHits: Int
  /// Entries in the cache now.
  public var cachedTokens: Int
}
