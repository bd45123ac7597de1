public import CoreMetrics
import Hummingbird
import LatchkeyHTTP
import LatchkeyMCP
import Logging
import NIOCore
import Prometheus

/// The Prometheus side of metrics (docs/metrics.md): one registry, the swift-metrics factory
/// writing into it, and the listener that serves it in the text exposition format.
///
/// `latchkey serve` and `latchkey demo` use `process`, bootstrapped into `MetricsSystem` exactly
/// once per process. Tests create their own `MetricsExporter()` and inject its `factory`, so
/// each test reads only its own series and nothing bootstraps twice.
public final class MetricsExporter: Sendable {
  let registry: PrometheusCollectorRegistry
  /// The factory to hand to `buildApplication`, the stores and the middleware.
  public let factory: any MetricsFactory

  /// A fresh registry, not bootstrapped into `MetricsSystem`.
  public init() {
    registry = PrometheusCollectorRegistry()
    var factory = PrometheusMetricsFactory(registry: registry)
    factory.defaultDurationHistogramBuckets = Self.requestBuckets
    factory.durationHistogramBuckets = [
      ResourceServerMetrics.verificationDurationName: Self.verificationBuckets
    ]
    self.factory = factory
  }

  /// The process-wide exporter; its factory becomes `MetricsSystem`'s on first use.
  public static let process: MetricsExporter = {
    let exporter = MetricsExporter()
    MetricsSystem.bootstrap(exporter.factory)
    return exporter
  }()

  /// HTTP request latency buckets: most authorization-server answers take well under 10 ms,
  /// scrypt logins about 100 ms.
  static let requestBuckets: [Duration] = [
    .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10),
    .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
    .milliseconds(500), .seconds(1), .microseconds(2_500_000), .seconds(5), .seconds(10),
  ]

  /// Bearer verification buckets: a cache hit costs microseconds, a cold ES256 verification
  /// tens of microseconds, a JWKS fetch milliseconds.
  static let verificationBuckets: [Duration] = [
    .microseconds(10), .microseconds(25), .microseconds(50), .microseconds(100),
    .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
    .milliseconds(10), .milliseconds(100), .seconds(1),
  ]

  /// The registry in the Prometheus text format (version 0.0.4).
  public func scrape() -> [UInt8] {
    registry.emitToBuffer()
  }

  /// The metrics listener: `GET path` answers the scrape, anything else 404.
  func application(host: String, port: Int, path: String, logger: Logger)
    -> some ApplicationProtocol
  {
    let router = Router()
    router.get(RouterPath(path)) { _, _ in
      Response(
        status: .ok,
        headers: [
          .contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store",
        ],
        body: .init(byteBuffer: ByteBuffer(bytes: self.scrape())))
    }
    return Application(
      router: router, server: .http1AnsweringOversizeHeaders(logger: logger),
      configuration: .init(address: .hostname(host, port: port)), logger: logger)
  }
}
