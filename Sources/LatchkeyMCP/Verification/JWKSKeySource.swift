public import CoreMetrics
public import Foundation
public import LatchkeyCore
public import LatchkeyJOSE
public import Logging

/// The issuer's signing keys, fetched from its `jwks_uri` and kept in memory.
///
/// The first use discovers `jwks_uri` from RFC 8414 metadata (unless configured). A token with
/// an unknown `kid` triggers a refresh, at most once per `minimumRefreshInterval`, so bogus
/// key ids cannot make this server hammer the authorization server; concurrent callers share
/// one fetch.
public actor JWKSKeySource {
  /// The issuer whose keys these are, exactly as tokens carry it in `iss`.
  public let issuer: String
  private var jwksURI: URL?
  private let fetcher: any HTTPFetcher
  /// Per-request limit for metadata and JWKS fetches.
  let fetchTimeout: TimeInterval
  /// Metadata and key sets are small; anything larger is refused.
  static let maximumDocumentBytes = 256 * 1024
  private let clock: any WallClock
  private let minimumRefreshInterval: TimeInterval
  private let logger: Logger

  private var keys: StaticKeyResolver?
  private var lastAttempt: Date?
  private var inFlight: Task<StaticKeyResolver?, Never>?
  /// How many fetch rounds (metadata + JWKS) have started; for tests and operators.
  public private(set) var fetchCount = 0
  /// `latchkey_mcp_jwks_lookups_total{result}`: keys held (hit) or not, or `kid` unknown (miss).
  private let lookups: CacheMetrics
  /// `latchkey_mcp_jwks_refreshes_total{outcome}`: fetch rounds that succeeded or failed.
  private let refreshes: (success: Counter, failure: Counter)

  /// Metric names (docs/metrics.md).
  public static let lookupsMetricName = "latchkey_mcp_jwks_lookups_total"
  /// `latchkey_mcp_jwks_refreshes_total{outcome}`.
  public static let refreshesMetricName = "latchkey_mcp_jwks_refreshes_total"

  /// - Parameters:
  ///   - issuer: the authorization server's issuer identifier, exactly.
  ///   - jwksURI: the key set URL; nil discovers it from the issuer's RFC 8414 metadata.
  ///   - fetcher: outbound HTTP (LatchkeyFetch's `URLSessionHTTPFetcher` in production).
  ///   - clock: the time source for the refresh limit.
  ///   - minimumRefreshInterval: seconds between two fetch rounds at least.
  ///   - fetchTimeout: per-request limit of each fetch.
  ///   - logger: where fetch failures are logged.
  ///   - metricsFactory: where the JWKS lookup and refresh counters go (docs/metrics.md).
  public init(
    issuer: String, jwksURI: URL? = nil, fetcher: any HTTPFetcher,
    clock: any WallClock = SystemClock(), minimumRefreshInterval: TimeInterval = 10,
    fetchTimeout: TimeInterval = 5, logger: Logger = Logger(label: "latchkey.mcp.jwks"),
    metricsFactory: any MetricsFactory = MetricsSystem.factory
  ) {
    lookups = CacheMetrics(name: Self.lookupsMetricName, factory: metricsFactory)
    refreshes = (
      Counter(
        label: Self.refreshesMetricName, dimensions: [("outcome", "success")],
        factory: metricsFactory),
      Counter(
        label: Self.refreshesMetricName, dimensions: [("outcome", "failure")],
        factory: metricsFactory)
    )
    self.fetchTimeout = fetchTimeout
    self.issuer = issuer
    self.jwksURI = jwksURI
    self.fetcher = fetcher
    self.clock = clock
    self.minimumRefreshInterval = minimumRefreshInterval
    self.logger = logger
  }

  /// The known keys, fetching them first if none are (subject to the refresh limit).
  public func currentKeys() async -> StaticKeyResolver? {
    lookups.record(hit: keys != nil)
    if let keys { return keys }
    return await refresh()
  }

  /// Called after a token named a `kid` we do not know: refetches when the limit allows,
  /// otherwise returns the keys already held.
  public func refreshAfterUnknownKey() async -> StaticKeyResolver? {
    lookups.record(hit: false)
    return await refresh()
  }

  private func refresh() async -> StaticKeyResolver? {
    if let inFlight { return await inFlight.value }
    let now = clock.now()
    if let lastAttempt, now.timeIntervalSince(lastAttempt) < minimumRefreshInterval {
      return keys
    }
    lastAttempt = now
    fetchCount += 1
    let task = Task { await self.fetch() }
    inFlight = task
    let fetched = await task.value
    inFlight = nil
    (fetched == nil ? refreshes.failure : refreshes.success).increment()
    if let fetched { keys = fetched }
    return keys
  }

  private func fetch() async -> StaticKeyResolver? {
    do {
      let uri = try await resolveJWKSURI()
      let response = try await fetcher.get(
        uri, maxBytes: Self.maximumDocumentBytes, timeout: fetchTimeout)
      guard response.status == 200 else {
        logger.warning("JWKS fetch failed", metadata: ["status": "\(response.status)"])
        return nil
      }
      let set = try JSONDecoder().decode(JWKS.self, from: Data(response.body))
      let imported = set.keys.compactMap { try? VerificationKey(jwk: $0) }
      logger.info(
        "JWKS loaded", metadata: ["keys": "\(imported.count)", "of": "\(set.keys.count)"])
      return StaticKeyResolver(imported)
    } catch {
      logger.warning("JWKS fetch failed", metadata: ["error": "\(error)"])
      return nil
    }
  }

  /// RFC 8414 §3: `jwks_uri` from the issuer's metadata, whose `issuer` must equal ours
  /// exactly (§3.3).
  private func resolveJWKSURI() async throws -> URL {
    if let jwksURI { return jwksURI }
    guard let metadataURL = WellKnownLocation.authorizationServerMetadataURL(issuer: issuer)
    else { throw KeySourceError.invalidIssuer }
    let response = try await fetcher.get(
      metadataURL, maxBytes: Self.maximumDocumentBytes, timeout: fetchTimeout)
    guard response.status == 200 else { throw KeySourceError.metadataStatus(response.status) }
    let metadata = try JSONDecoder().decode(IssuerMetadata.self, from: Data(response.body))
    guard metadata.issuer == issuer else { throw KeySourceError.issuerMismatch }
    guard let uri = URL(string: metadata.jwksURI) else { throw KeySourceError.invalidJWKSURI }
    jwksURI = uri
    return uri
  }

  private struct IssuerMetadata: Decodable {
    var issuer: String
    var jwksURI: String

    enum CodingKeys: String, CodingKey {
      case issuer
      case jwksURI = "jwks_uri"
    }
  }

  enum KeySourceError: Error {
    case invalidIssuer
    case metadataStatus(Int)
    case issuerMismatch
    case invalidJWKSURI
  }
}
