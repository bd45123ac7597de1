import HTTPTypes
public import Hummingbird
public import LatchkeyCore
import LatchkeyHTTP
public import LatchkeyMCP
public import Logging

/// `latchkey proxy` as a function: `MCPAuthMiddleware` (metadata, challenges, scope policy,
/// rate limit, audit) in front of a `ProxyForwarder` to the upstream MCP server. Only the
/// configured endpoint path is forwarded (POST, GET, DELETE); every other path is 404.
///
/// - Parameters:
///   - verifier: usually a `JWTAccessTokenVerifier`; an `IntrospectionAccessTokenVerifier`
///     for opaque tokens.
///   - releasesFilePages: drop start-up's code pages from the page tables once it settled
///     (`SettledFilePageRelease`): for the `latchkey proxy` process, not for tests that run
///     many proxies in one process.
public func buildProxyApplication(
  configuration: ProxyConfiguration, verifier: any AccessTokenVerifier,
  auditSink: any ToolCallAuditSink = LoggingToolCallAuditSink(),
  clock: any WallClock = SystemClock(), logger: Logger = Logger(label: "latchkey.proxy"),
  upstreamTokens: (any UpstreamTokenSource)? = nil, releasesFilePages: Bool = false
) throws -> some ApplicationProtocol {
  if let problem = configuration.problem() { throw ProxyConfigurationError(problem) }
  guard let listen = ListenAddress(configuration.listen),
    let target = UpstreamTarget(configuration.upstream)
  else { throw ProxyConfigurationError("invalid listen or upstream") }
  let protection = try configuration.protection()
  let authorizer = ResourceServerAuthorizer(
    configuration: protection, verifier: verifier, auditSink: auditSink, clock: clock,
    logger: logger, upstreamTokens: upstreamTokens)
  let forwarder = ProxyForwarder(
    client: UpstreamClient(
      target: target, responseHeadTimeout: .seconds(configuration.upstreamTimeoutSeconds)),
    resource: configuration.resource, maximumBodyBytes: configuration.maximumBodyBytes,
    forwardsUpstreamToken: upstreamTokens != nil, logger: logger)
  let router = Router(context: MCPAuthContext.self)
  router.add(middleware: MCPAuthMiddleware(authorizer: authorizer))
  let path = RouterPath(protection.endpointPath)
  for method in [HTTPRequest.Method.post, .get, .delete] {
    router.on(path, method: method) { request, context in
      guard let identity = context.identity else {
        return ProxyForwarder.error(
          .unauthorized, code: JSONRPCErrorBody.serverError, "Authorization required")
      }
      return try await forwarder.forward(
        request, identity: identity, clientAddress: context.remoteAddress?.ipAddress)
    }
  }
  return Application(
    router: router, server: .http1OnConnectionEventLoop(logger: logger),
    configuration: .init(address: .hostname(listen.host, port: listen.port)),
    services: releasesFilePages ? [SettledFilePageRelease()] : [], logger: logger)
}

/// A configuration `buildProxyApplication` cannot run with.
public struct ProxyConfigurationError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
