import CoreMetrics
import LatchkeyCore
import Synchronization

/// The authorization server's metrics (docs/metrics.md), created once by `buildApplication`.
///
/// Labels are fixed words (grant types, OAuth error codes, route templates, status codes):
/// never a client id, user, token or raw path. With no metrics backend every update is a no-op.
final class ServerMetrics: Sendable {
  static let tokensIssuedName = "latchkey_tokens_issued_total"
  static let refreshReuseName = "latchkey_refresh_token_reuse_detected_total"
  static let loginFailuresName = "latchkey_login_failures_total"
  static let registrationRejectionsName = "latchkey_registration_rejections_total"
  static let requestsName = "latchkey_http_requests_total"
  static let requestDurationName = "latchkey_http_request_duration_seconds"

  /// Why a login failed: wrong credentials (or unknown or disabled user), or throttled.
  enum LoginFailure: String, CaseIterable {
    case invalidCredentials = "invalid_credentials"
    case throttled
  }

  private let factory: any MetricsFactory
  private let tokensIssued: [GrantType: Counter]
  private let refreshReuse: Counter
  private let loginFailures: [LoginFailure: Counter]
  /// Registration refusals by reason; the reasons are a small fixed set, created on first use.
  private let registrationRejections = Mutex<[String: Counter]>([:])
  /// Request series by (route, method, status), created on first use.
  private let requests = Mutex<[RequestSeries: (count: Counter, duration: Timer)]>([:])

  init(factory: any MetricsFactory) {
    self.factory = factory
    // One series per grant the token endpoint serves; others never issue tokens.
    var issued: [GrantType: Counter] = [:]
    for grant in GrantRegistry.standard.grantTypes {
      issued[grant] = Counter(
        label: Self.tokensIssuedName, dimensions: [("grant_type", grant.rawValue)],
        factory: factory)
    }
    tokensIssued = issued
    refreshReuse = Counter(label: Self.refreshReuseName, factory: factory)
    var failures: [LoginFailure: Counter] = [:]
    for reason in LoginFailure.allCases {
      failures[reason] = Counter(
        label: Self.loginFailuresName, dimensions: [("reason", reason.rawValue)], factory: factory)
    }
    loginFailures = failures
  }

  func recordTokensIssued(grantType: GrantType) {
    tokensIssued[grantType]?.increment()
  }

  func recordRefreshReuse() {
    refreshReuse.increment()
  }

  func recordLoginFailure(_ reason: LoginFailure) {
    loginFailures[reason]?.increment()
  }

  /// `reason` must come from a fixed set (OAuth error codes, `rate_limited`, `disabled`).
  func recordRegistrationRejection(reason: String) {
    let counter = registrationRejections.withLock { counters in
      if let existing = counters[reason] { return existing }
      let created = Counter(
        label: Self.registrationRejectionsName, dimensions: [("reason", reason)],
        factory: factory)
      counters[reason] = created
      return created
    }
    counter.increment()
  }

  /// One answered request: `route` is the matched route template (or `unmatched`), `method`
  /// one of a fixed set (`other` otherwise), so the series stay bounded.
  func recordRequest(_ series: RequestSeries, duration: Duration) {
    let metrics = requests.withLock { requests in
      if let existing = requests[series] { return existing }
      let created = (
        count: Counter(
          label: Self.requestsName,
          dimensions: [
            ("route", series.route), ("method", series.method), ("status", String(series.status)),
          ], factory: factory),
        duration: Timer(
          label: Self.requestDurationName,
          dimensions: [("route", series.route), ("method", series.method)], factory: factory)
      )
      requests[series] = created
      return created
    }
    metrics.count.increment()
    let (seconds, attoseconds) = duration.components
    metrics.duration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
  }

  /// The labels of one request series.
  struct RequestSeries: Hashable {
    var route: String
    var method: String
    var status: Int

    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]

    /// `route` nil, or Hummingbird's `NotFound` marker (templates always start with `/`),
    /// becomes `unmatched`.
    init(route: String?, method: String, status: Int) {
      self.route = route.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "unmatched"
      self.method = Self.knownMethods.contains(method) ? method : "other"
      self.status = status
    }
  }
}
