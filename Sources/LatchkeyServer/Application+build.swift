public import CoreMetrics
import Foundation
public import Hummingbird
public import LatchkeyCore
import LatchkeyFetch
import LatchkeyHTTP
public import Logging

/// The composition root used by `latchkey serve`, `latchkey demo` and every in-process test.
///
/// Validates the configuration, synchronises configured resources into the store, makes sure an
/// active signing key exists, and returns the Hummingbird application with every route.
///
/// `releasesFilePages` lets the process drop start-up's and a past load's code pages from its
/// page tables when idle (`MemoryReturn`, `FileBackedPages`): for a process that is the server
/// (`latchkey serve`), not for tests that build many applications in one process.
///
/// Metrics (docs/metrics.md) go to `metricsFactory`: the process-wide `MetricsSystem.factory`
/// by default (a no-op until something bootstraps it); tests inject their own registry's.
public func buildApplication(
  configuration: ServerConfiguration, store: any LatchkeyStore,
  clock: any WallClock = SystemClock(), fetcher: (any HTTPFetcher)? = nil,
  logger: Logger = Logger(label: "latchkey"),
  metricsFactory: any MetricsFactory = MetricsSystem.factory, releasesFilePages: Bool = false
) async throws -> some ApplicationProtocol {
  if let problem = IssuerRule.validate(configuration.issuer) {
    throw ConfigurationError.invalid(problem)
  }
  for resource in configuration.resources {
    try await store.upsertResource(resource.resource)
  }
  let server = try AuthorizationServer(
    configuration: configuration, store: store, clock: clock,
    fetcher: fetcher
      ?? URLSessionHTTPFetcher(
        allowPrivateAddresses: configuration.registration.metadataDocumentAllowPrivateAddresses),
    // Identity providers are the operator's choice (an internal Keycloak is common): their
    // discovery, token and JWKS URLs may be private addresses, unlike clients' documents.
    providerFetcher: fetcher ?? URLSessionHTTPFetcher(allowPrivateAddresses: true),
    logger: logger, metrics: ServerMetrics(factory: metricsFactory))
  try await server.keys.reload()
  try await server.interaction.pages.loadOverrides(from: configuration.templateDirectory)
  let router = Router(context: LatchkeyRequestContext.self)
  router.add(middleware: RequestLogMiddleware())
  router.add(middleware: HTTPMetricsMiddleware(metrics: server.metrics))
  if !configuration.trustedProxies.isEmpty {
    router.add(middleware: ForwardedForMiddleware(trusted: Set(configuration.trustedProxies)))
  }
  server.addRoutes(to: router)
  let housekeeping = Housekeeping(
    store: store, clock: clock, idleExpiry: TimeInterval(configuration.registration.idleExpiry),
    interval: .seconds(max(1, configuration.housekeeping.interval)),
    retention: TimeInterval(max(0, configuration.housekeeping.retention)), logger: logger)
  return Application(
    router: router, server: .http1AnsweringOversizeHeaders(logger: logger),
    configuration: .init(
      address: .hostname(configuration.host, port: configuration.port), serverName: nil),
    services: [
      housekeeping,
      MemoryReturn(
        store: store, interval: .seconds(20), releasesFilePages: releasesFilePages, logger: logger),
    ],
    logger: logger)
}

extension AuthorizationServer {
  func addRoutes(to router: Router<LatchkeyRequestContext>) {
    // Public GET documents and the POST endpoints browser-based clients call: CORS on the
    // routes themselves (`CrossOriginMiddleware`), with their OPTIONS preflight.
    let documents = router.group().add(middleware: CrossOriginMiddleware(methods: [.get]))
    let machine = router.group().add(middleware: CrossOriginMiddleware(methods: [.post]))
    let preflight: @Sendable (Request, LatchkeyRequestContext) async throws -> Response = { _, _ in
      Response(status: .noContent)
    }
    for path in discoveryPaths {
      documents.get(RouterPath(path)) { request, context in
        try await self.discovery(request, context: context)
      }
      documents.on(RouterPath(path), method: .options, use: preflight)
    }
    let base = issuerPath
    documents.get(RouterPath(base + EndpointPath.jwks)) { request, context in
      try await self.jwks(request, context: context)
    }
    documents.on(RouterPath(base + EndpointPath.jwks), method: .options, use: preflight)
    machine.post(RouterPath(base + EndpointPath.token)) { request, context in
      await self.token(request, context: context)
    }
    machine.post(RouterPath(base + EndpointPath.register)) { request, context in
      await self.register(request, context: context)
    }
    machine.post(RouterPath(base + EndpointPath.revoke)) { request, context in
      await self.revoke(request, context: context)
    }
    machine.post(RouterPath(base + EndpointPath.introspect)) { request, context in
      await self.introspect(request, context: context)
    }
    for endpoint in [
      EndpointPath.token, EndpointPath.register, EndpointPath.revoke, EndpointPath.introspect,
    ] {
      machine.on(RouterPath(base + endpoint), method: .options, use: preflight)
    }
    // Not for browsers: no cross-origin headers, no preflight.
    router.post(RouterPath(base + EndpointPath.upstreamToken)) { request, context in
      await self.upstreamToken(request, context: context)
    }
    addAuthorizationRoutes(to: router)
    addUpstreamCallbackRoutes(to: router)
    router.get(RouterPath(base + "/healthz")) { request, context in
      await self.health(request, context: context)
    }
  }
}
