public import CoreMetrics

/// The middleware's metrics (docs/metrics.md), created once per authorizer so a request only
/// increments existing counters.
///
/// Labels are fixed, low-cardinality words; a client id, subject or token never becomes a
/// label. With no metrics backend (the default `MetricsSystem.factory` before any bootstrap)
/// every update is a no-op.
public struct ResourceServerMetrics: Sendable {
  /// `latchkey_mcp_verifications_total{outcome}`.
  public static let verificationsName = "latchkey_mcp_verifications_total"
  /// `latchkey_mcp_verification_duration_seconds`: bearer token checks that had a token.
  public static let verificationDurationName = "latchkey_mcp_verification_duration_seconds"
  /// `latchkey_mcp_tool_calls_rate_limited_total`.
  public static let rateLimitedName = "latchkey_mcp_tool_calls_rate_limited_total"

  private let verifications: [VerificationOutcome: Counter]
  private let verificationDuration: Timer
  private let rateLimited: Counter

  /// Creates (or, on a shared registry, finds) every series up front.
  public init(factory: any MetricsFactory = MetricsSystem.factory) {
    var verifications: [VerificationOutcome: Counter] = [:]
    for outcome in VerificationOutcome.allCases {
      verifications[outcome] = Counter(
        label: Self.verificationsName, dimensions: [("outcome", outcome.rawValue)],
        factory: factory)
    }
    self.verifications = verifications
    verificationDuration = Timer(label: Self.verificationDurationName, factory: factory)
    rateLimited = Counter(label: Self.rateLimitedName, factory: factory)
  }

  func recordVerification(_ outcome: VerificationOutcome) {
    verifications[outcome]?.increment()
  }

  func recordVerificationDuration(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    verificationDuration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
  }

  func recordRateLimited() {
    rateLimited.increment()
  }
}

/// The `outcome` label of `latchkey_mcp_verifications_total`: how the bearer check of one
/// request to the protected endpoint ended.
public enum VerificationOutcome: String, Sendable, CaseIterable {
  /// The token verified (signature or the verified-token cache).
  case valid
  /// No `Authorization: Bearer` header (RFC 6750 §3: 401 without `error`).
  case missingToken = "missing_token"
  /// The `Authorization` header was not a single well-formed Bearer credential (400).
  case malformedHeader = "malformed_header"
  /// Bad signature, unknown key, wrong `typ`, malformed claims.
  case invalidToken = "invalid_token"
  /// `exp` passed.
  case expired
  /// `iss` is not the configured issuer.
  case wrongIssuer = "wrong_issuer"
  /// `aud` does not name this resource.
  case wrongAudience = "wrong_audience"
  /// The issuer's keys could not be loaded (503).
  case keysUnavailable = "keys_unavailable"

  /// The outcome of a token rejection.
  init(_ rejection: TokenRejection) {
    switch rejection {
    case .invalid, .apiKeysNeedIntrospection: self = .invalidToken
    case .expired: self = .expired
    case .wrongIssuer: self = .wrongIssuer
    case .wrongAudience: self = .wrongAudience
    case .keysUnavailable: self = .keysUnavailable
    }
  }
}
