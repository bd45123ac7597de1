public import CoreMetrics
import Foundation
public import LatchkeyCore
import LatchkeyJOSE
import Synchronization

/// Verifies RFC 9068 JWT access tokens offline against the issuer's JWKS.
///
/// RFC 9068 §4: `typ` must be `at+jwt`, the signature must verify under a key the issuer
/// publishes (algorithm pinned by the key, RFC 8725 §3.1), `iss` must equal the issuer, `aud`
/// must contain this resource, `exp` must be in the future (with `leeway`). Verified tokens
/// are cached by SHA-256 until their `exp`, so a repeated token costs one hash and a lookup.
public final class JWTAccessTokenVerifier: AccessTokenVerifier {
  /// The issuer tokens must name in `iss`, exactly.
  public let issuer: String
  /// This resource's URL; tokens must name it in `aud`.
  public let resource: String
  private let keySource: JWKSKeySource
  private let validator: JWTValidator
  private let clock: any WallClock
  private let cache: VerifiedTokenCache
  private let signatureVerifications = Atomic<Int>(0)
  private let cacheHits = Atomic<Int>(0)
  /// `latchkey_mcp_token_cache_lookups_total{result}`.
  private let cacheLookups: CacheMetrics

  /// The verified-token cache metric's name (docs/metrics.md).
  public static let cacheLookupsMetricName = "latchkey_mcp_token_cache_lookups_total"

  /// - Parameters:
  ///   - issuer: the issuer identifier tokens must carry in `iss`, exactly.
  ///   - resource: this MCP endpoint's URL; tokens must name it in `aud`.
  ///   - keySource: the issuer's keys (fetched from its JWKS and cached).
  ///   - clock: the time source for `exp`, `nbf`, `iat` and the cache.
  ///   - leeway: allowed clock skew in seconds for `exp`, `nbf`, `iat`.
  ///   - cacheCapacity: verified tokens remembered (0 disables the cache).
  ///   - metricsFactory: where the cache hit/miss counter goes (docs/metrics.md).
  public init(
    issuer: String, resource: String, keySource: JWKSKeySource,
    clock: any WallClock = SystemClock(), leeway: Int64 = 30, cacheCapacity: Int = 10_000,
    metricsFactory: any MetricsFactory = MetricsSystem.factory
  ) {
    cacheLookups = CacheMetrics(name: Self.cacheLookupsMetricName, factory: metricsFactory)
    self.issuer = issuer
    self.resource = resource
    self.keySource = keySource
    self.clock = clock
    self.validator = JWTValidator(
      issuer: issuer, audience: resource, leeway: leeway, requireExpiry: true,
      expectedType: "at+jwt")
    self.cache = VerifiedTokenCache(capacity: cacheCapacity)
  }

  /// Counters for tests, benchmarks and operators.
  public var statistics: VerifierStatistics {
    VerifierStatistics(
      signatureVerifications: signatureVerifications.load(ordering: .relaxed),
      cacheHits: cacheHits.load(ordering: .relaxed), cachedTokens: cache.count)
  }

  /// Verifies `token` (cache first, then signature and claims) and returns who it acts for.
  /// - Throws: ``TokenRejection`` saying why the token is not accepted.
  public func verify(_ token: String) async throws(TokenRejection) -> VerifiedIdentity {
    let now = clock.now()
    let digest = Digest.sha256(token)
    if let cached = cache.lookup(digest, now: now) {
      cacheHits.add(1, ordering: .relaxed)
      cacheLookups.record(hit: true)
      return cached
    }
    cacheLookups.record(hit: false)
    guard let keys = await keySource.currentKeys() else { throw .keysUnavailable }
    let identity: VerifiedIdentity
    do {
      identity = try check(token, keys: keys, now: now)
    } catch .invalid("unknown key") {
      // RFC 7517 §5 key rotation: the issuer may have published a new key since we looked.
      guard let refreshed = await keySource.refreshAfterUnknownKey() else {
        throw .keysUnavailable
      }
      identity = try check(token, keys: refreshed, now: now)
    }
    cache.insert(digest, identity, now: now)
    return identity
  }

  private func check(_ token: String, keys: StaticKeyResolver, now: Date)
    throws(TokenRejection) -> VerifiedIdentity
  {
    let claims: JWTClaims
    do {
      signatureVerifications.add(1, ordering: .relaxed)
      claims = try JWT.verify(
        token, keys: keys, validator: validator, now: Int64(now.timeIntervalSince1970)
      ).claims
    } catch {
      throw Self.rejection(error)
    }
    guard let subject = claims.sub, !subject.isEmpty, let exp = claims.exp else {
      throw .invalid("missing sub or exp")
    }
    guard let scopes = ScopeSet(parameter: claims.scope ?? "") else {
      throw .invalid("malformed scope")
    }
    return VerifiedIdentity(
      subject: subject, clientID: claims.clientID, scopes: scopes,
      audience: claims.aud?.values ?? [], tokenID: claims.jti, issuer: claims.iss,
      expiresAt: Date(timeIntervalSince1970: TimeInterval(exp)))
  }

  static func rejection(_ error: JWTValidationError) -> TokenRejection {
    switch error {
    case .expired: .expired
    case .wrongIssuer: .wrongIssuer
    case .wrongAudience: .wrongAudience
    case .signature(.unknownKeyID): .invalid("unknown key")
    case .signature(let jws): .invalid("\(jws)")
    case .notYetValid, .issuedInFuture, .missingExpiry, .wrongType: .invalid("\(error)")
    }
  }
}
