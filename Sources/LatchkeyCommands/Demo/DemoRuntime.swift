import CoreMetrics
import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyDemo
import LatchkeyFetch
import LatchkeyJOSE
import LatchkeyMCP
public import LatchkeySQLite
import LatchkeyServer
public import Logging
import ServiceLifecycle

/// `latchkey demo` as a function: the authorization server and the example notes MCP server
/// (behind the LatchkeyMCP middleware, auditing tool calls into the same SQLite store) in one
/// process on loopback. `start` returns once both answer; `stop` shuts both down gracefully.
public final class DemoRuntime: Sendable {
  /// `http://127.0.0.1:<port>`, exactly as tokens carry it in `iss`.
  public let issuerURL: String
  /// `http://127.0.0.1:<mcp-port>/mcp`, the resource tokens carry in `aud`.
  public let mcpURL: String
  public let port: Int
  public let mcpPort: Int
  /// `http://host:port/metrics` when metrics are on.
  public let metricsURL: String?
  /// The demo user's password when it was generated (nil when given).
  public let generatedPassword: String?
  /// The authorization server's store (tests register resources and read the audit here).
  public let store: SQLiteStore
  private let group: ServiceGroup
  private let running: Task<Void, any Error>
  private let ending: ServiceGroupEnding

  private init(
    issuerURL: String, mcpURL: String, port: Int, mcpPort: Int, metricsURL: String?,
    generatedPassword: String?, store: SQLiteStore, group: ServiceGroup,
    ending: ServiceGroupEnding
  ) {
    self.metricsURL = metricsURL
    self.issuerURL = issuerURL
    self.mcpURL = mcpURL
    self.port = port
    self.mcpPort = mcpPort
    self.generatedPassword = generatedPassword
    self.store = store
    self.group = group
    self.ending = ending
    running = Task { try await group.run() }
  }

  /// The line to paste into Claude Code; other MCP clients take the MCP URL.
  public var clientConfigurationLine: String {
    "claude mcp add --transport http notes \(mcpURL)"
  }

  /// Opens (or creates) the store, ensures the demo user, starts both servers and returns when
  /// both listen. Port 0 picks a free port. With `options.metricsListen`, both servers report
  /// to `metrics` (default: the process-wide exporter) and a third listener serves `/metrics`.
  public static func start(
    _ options: DemoOptions, environment: [String: String] = [:],
    logger: Logger = Logger(label: "latchkey.demo"), metrics: MetricsExporter? = nil
  ) async throws -> DemoRuntime {
    try await start(
      options, environment: environment, logger: logger, metrics: metrics,
      pickPort: FreePort.pick)
  }

  /// How many times a start with picked ports is tried when a picked port was taken by
  /// someone else before the server bound it.
  static let portAttempts = 3

  /// `start` with the port picker given: a port picked free can be bound by another process
  /// before the demo binds it, so when the servers stop with EADDRINUSE and some port was
  /// picked, the start is tried again with new picks.
  static func start(
    _ options: DemoOptions, environment: [String: String] = [:], logger: Logger,
    metrics: MetricsExporter?, pickPort: @Sendable (String) async throws -> Int
  ) async throws -> DemoRuntime {
    let metricsPort = try MetricsConfiguration(listen: options.metricsListen).listenAddress()?.port
    let picksPorts = options.port == 0 || options.mcpPort == 0 || metricsPort == 0
    for attempt in 1... {
      do {
        return try await startOnce(
          options, environment: environment, logger: logger, metrics: metrics,
          pickPort: pickPort)
      } catch let error as DemoError
        where error.isAddressInUse && picksPorts && attempt < portAttempts
      {
        logger.warning(
          "a picked port was taken before the demo bound it; picking again",
          metadata: ["attempt": "\(attempt)"])
      }
    }
    preconditionFailure("unreachable: the last attempt returns or throws")
  }

  /// One attempt: the plan first (ports, password, addresses: nothing opened yet), then the
  /// launch, which opens the store and closes it again when anything before the runtime
  /// owns it fails, so a retry never finds the file held by a store nobody closes.
  private static func startOnce(
    _ options: DemoOptions, environment: [String: String], logger: Logger,
    metrics: MetricsExporter?, pickPort: @Sendable (String) async throws -> Int
  ) async throws -> DemoRuntime {
    let plan = try await DemoPlan.make(options, environment: environment, pickPort: pickPort)
    let exporter = plan.metricsAddress == nil ? nil : (metrics ?? MetricsExporter.process)
    let factory = exporter?.factory ?? MetricsSystem.factory
    try FileManager.default.createDirectory(
      atPath: options.dataDirectory, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    let store = try SQLiteStore(path: options.databasePath, metricsFactory: factory)
    let runtime: DemoRuntime
    do {
      runtime = try await launch(
        plan, options: options, store: store, exporter: exporter, factory: factory,
        logger: logger)
    } catch {
      try? store.close()
      throw error
    }
    do {
      let probe = URLSessionHTTPFetcher(allowPrivateAddresses: true)
      try await DemoReadiness.wait(
        for: plan.issuer + "/healthz", fetcher: probe, ending: runtime.ending)
      let (resource, issuer) = (plan.resource, plan.issuer)
      try await DemoReadiness.wait(
        for: "http://\(DemoOptions.host):\(plan.mcpPort)/.well-known/oauth-protected-resource/mcp",
        fetcher: probe, ending: runtime.ending,
        identifies: { DemoReadiness.isResourceMetadata($0, resource: resource, issuer: issuer) })
      if let metricsURL = runtime.metricsURL {
        try await DemoReadiness.wait(for: metricsURL, fetcher: probe, ending: runtime.ending)
      }
      // A server of this demo that failed to bind while another process's answered the probe.
      if let stopped = runtime.ending.ended { throw stopped }
    } catch {
      try? await runtime.stop()
      throw error
    }
    return runtime
  }

  /// The demo user, both servers and the metrics listener on `store`, in a service group.
  private static func launch(
    _ plan: DemoPlan, options: DemoOptions, store: SQLiteStore, exporter: MetricsExporter?,
    factory: any MetricsFactory, logger: Logger
  ) async throws -> DemoRuntime {
    let (issuer, resource, port, mcpPort) = (plan.issuer, plan.resource, plan.port, plan.mcpPort)
    let metricsAddress = plan.metricsAddress
    let change = try await DemoUser.ensure(
      username: options.username, password: plan.password, logN: options.passwordHashLogN,
      store: store, now: Date())
    logger.info(
      "demo user \(change.rawValue)", metadata: ["user": "\(options.username)"])

    var configuration = options.baseConfiguration ?? ServerConfiguration(issuer: issuer)
    configuration.issuer = issuer
    configuration.host = DemoOptions.host
    configuration.port = port
    configuration.databasePath = options.databasePath
    configuration.resources = [DemoResource.configuration(url: resource)]
    configuration.passwordHashLogN = options.passwordHashLogN
    if DemoUpstream.isOn(configuration) {
      configuration = DemoUpstream.listingNotesReader(configuration, resource: resource)
    }
    let authorizationServer = try await buildApplication(
      configuration: configuration, store: store, logger: logger, metricsFactory: factory)
    let introspectionSecret = try await DemoIntrospectionClient.ensure(store: store, now: Date())
    let notes = try notesApplication(
      issuer: issuer, resource: resource, port: mcpPort, options: options, store: store,
      introspectionSecret: introspectionSecret, configuration: configuration, logger: logger,
      metricsFactory: factory)
    let ending = ServiceGroupEnding()
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
      .init(service: ending.reporting(authorizationServer)),
      .init(service: ending.reporting(notes)),
    ]
    var metricsURL: String?
    if let exporter, let metricsAddress {
      services.append(
        .init(
          service: ending.reporting(
            exporter.application(
              host: metricsAddress.host, port: metricsAddress.port, path: "/metrics",
              logger: logger))))
      let host =
        metricsAddress.host.contains(":") ? "[\(metricsAddress.host)]" : metricsAddress.host
      metricsURL = "http://\(host):\(metricsAddress.port)/metrics"
    }
    var groupConfiguration = ServiceGroupConfiguration(
      services: services,
      gracefulShutdownSignals: options.handlesSignals ? [.sigterm, .sigint] : [],
      logger: logger)
    // Open MCP event streams end at once on graceful shutdown (MCPStreamableHTTPEndpoint
    // stops its sessions); this limit is the backstop for anything else still in flight.
    groupConfiguration.maximumGracefulShutdownDuration = .seconds(3)
    let group = ServiceGroup(configuration: groupConfiguration)
    return DemoRuntime(
      issuerURL: issuer, mcpURL: resource, port: port, mcpPort: mcpPort, metricsURL: metricsURL,
      generatedPassword: plan.passwordWasGenerated ? plan.password : nil, store: store,
      group: group, ending: ending)
  }

  /// The notes server in mixed mode: JWT access tokens verified offline, API keys by
  /// introspection at the demo's own AS (as `DemoIntrospectionClient`, answers cached 30 s);
  /// with a provider that keeps its tokens, upstream tokens from the demo's `/upstream-token`
  /// as the same client (`DemoUpstream`).
  static func notesApplication(
    issuer: String, resource: String, port: Int, options: DemoOptions, store: SQLiteStore,
    introspectionSecret: String, configuration: ServerConfiguration, logger: Logger,
    metricsFactory: any MetricsFactory
  ) throws -> some ApplicationProtocol {
    let fetcher = URLSessionHTTPFetcher(allowPrivateAddresses: true)
    let keys = JWKSKeySource(
      issuer: issuer, fetcher: fetcher, logger: logger, metricsFactory: metricsFactory)
    let jwt = JWTAccessTokenVerifier(
      issuer: issuer, resource: resource, keySource: keys, metricsFactory: metricsFactory)
    guard let introspection = URL(string: issuer + "/introspect") else {
      throw DemoError.notListening(issuer)
    }
    let apiKeys = IntrospectionAccessTokenVerifier(
      endpoint: introspection, clientID: DemoIntrospectionClient.id,
      clientSecret: introspectionSecret, issuer: issuer, resource: resource, fetcher: fetcher,
      logger: logger)
    let verifier = MixedAccessTokenVerifier(jwt: jwt, apiKeys: apiKeys)
    let limit: RateLimit =
      options.toolCallsPerMinute > 0 ? .perMinute(options.toolCallsPerMinute) : .unlimited
    return try buildNotesApplication(
      configuration: NotesConfiguration(
        host: DemoOptions.host, port: port, resource: resource, issuer: issuer,
        readScope: DemoResource.readScope, writeScope: DemoResource.writeScope,
        toolCallLimit: limit,
        allowedOrigins: DemoOptions.browserClientOrigins + options.allowedOrigins),
      verifier: verifier, auditSink: AuditLogToolCallSink(log: store), logger: logger,
      metrics: ResourceServerMetrics(factory: metricsFactory),
      upstream: try DemoUpstream.notesUpstream(
        configuration, issuer: issuer, clientSecret: introspectionSecret, fetcher: fetcher,
        logger: logger))
  }

  /// Shuts both servers down gracefully, waits for them, and closes the store.
  public func stop() async throws {
    await group.triggerGracefulShutdown()
    try await waitUntilStopped()
  }

  /// Returns when both servers have stopped (after a signal, or `stop()`), closing the store.
  public func waitUntilStopped() async throws {
    defer { try? store.close() }
    try await running.value
  }
}
