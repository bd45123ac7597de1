import HTTPTypes
public import Hummingbird
public import LatchkeyCore
import LatchkeyHTTP
public import LatchkeyMCP
import LatchkeyMCPSwiftSDK
public import Logging
import MCP

/// The notes MCP server at `/mcp`, protected by `MCPAuthMiddleware`.
///
/// - Parameters:
///   - verifier: checks bearer tokens, usually a `JWTAccessTokenVerifier`.
///   - store: the notes (pass one in to inspect it from tests).
///   - upstream: the token vault's upstream tokens and the providers' profile APIs; with it the
///     server offers `upstream_whoami`.
public func buildNotesApplication(
  configuration: NotesConfiguration, verifier: any AccessTokenVerifier,
  store: NotesStore = NotesStore(),
  auditSink: any ToolCallAuditSink = LoggingToolCallAuditSink(),
  clock: any WallClock = SystemClock(),
  logger: Logger = Logger(label: "latchkey.notes"),
  metrics: ResourceServerMetrics = ResourceServerMetrics(),
  upstream: NotesUpstream? = nil
) throws -> some ApplicationProtocol {
  let protection = try ProtectedResourceConfiguration(
    resource: configuration.resource, issuer: configuration.issuer,
    scopePolicy: NotesTools.scopePolicy(
      readScope: configuration.readScope, writeScope: configuration.writeScope),
    resourceName: "Latchkey example notes", toolCallLimit: configuration.toolCallLimit,
    allowedOrigins: configuration.browserOrigins)
  let authorizer = ResourceServerAuthorizer(
    configuration: protection, verifier: verifier, auditSink: auditSink, clock: clock,
    logger: logger, metrics: metrics, upstreamTokens: upstream?.tokens)
  let endpoint = notesEndpoint(
    configuration, store: store, anonymousSubject: nil,
    whoami: upstream.map(UpstreamWhoami.init))
  let router = Router(context: MCPAuthContext.self)
  router.add(middleware: MCPAuthMiddleware(authorizer: authorizer))
  addRoutes(router, path: protection.endpointPath, endpoint: endpoint)
  return application(router, configuration, logger: logger)
}

/// The same server without any protection (every caller is subject "anonymous"), to measure
/// what the middleware costs.
public func buildUnprotectedNotesApplication(
  configuration: NotesConfiguration, store: NotesStore = NotesStore(),
  logger: Logger = Logger(label: "latchkey.notes")
) throws -> some ApplicationProtocol {
  guard let parsed = WellKnownLocation.parseResource(configuration.resource) else {
    throw ProtectedResourceConfiguration.ConfigurationError.invalidResource(
      configuration.resource)
  }
  let endpoint = notesEndpoint(configuration, store: store, anonymousSubject: "anonymous")
  let router = Router(context: MCPAuthContext.self)
  addRoutes(router, path: parsed.path, endpoint: endpoint)
  return application(router, configuration, logger: logger)
}

private func notesEndpoint(
  _ configuration: NotesConfiguration, store: NotesStore, anonymousSubject: String?,
  whoami: UpstreamWhoami? = nil
) -> MCPStreamableHTTPEndpoint {
  // The middleware in front already judged `Origin` (OriginRule); the SDK's validator behind
  // it checks `Host` and must not refuse an origin the configuration allows.
  let local = OriginValidator.localhost()
  let extraOrigins = configuration.browserOrigins.compactMap(OriginRule.serialized)
  let origins =
    configuration.allowedHosts.isEmpty && extraOrigins.isEmpty
    ? local
    : OriginValidator(
      allowedHosts: local.allowedHosts + configuration.allowedHosts,
      allowedOrigins: local.allowedOrigins + extraOrigins)
  let factory = NotesServerFactory(
    store: store, anonymousSubject: anonymousSubject, whoami: whoami)
  return MCPStreamableHTTPEndpoint(originValidator: origins) { await factory.makeServer() }
}

private func addRoutes(
  _ router: Router<MCPAuthContext>, path: String, endpoint: MCPStreamableHTTPEndpoint
) {
  let routePath = RouterPath(path)
  for method in [HTTPTypes.HTTPRequest.Method.post, .get, .delete] {
    router.on(routePath, method: method) { request, context in
      try await endpoint.handle(request, identity: context.identity)
    }
  }
}

private func application(
  _ router: Router<MCPAuthContext>, _ configuration: NotesConfiguration, logger: Logger
) -> some ApplicationProtocol {
  Application(
    router: router, server: .http1AnsweringOversizeHeaders(logger: logger),
    configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
    logger: logger)
}
