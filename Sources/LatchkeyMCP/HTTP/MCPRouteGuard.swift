import HTTPTypes
public import Hummingbird
import NIOCore

/// The checks of the MCP endpoint for every request that reaches it, whatever its path.
///
/// Attach it to the routes of the endpoint so the protection follows the route that runs:
///
/// ```swift
/// router.add(middleware: MCPAuthMiddleware(authorizer: authorizer))  // metadata + endpoint
/// // or, tying the checks to the route group instead of a path comparison:
/// router.group(RouterPath("/mcp")).add(middleware: MCPRouteGuard(authorizer: authorizer))
///   .post { request, context in try await endpoint.handle(request, identity: context.identity) }
/// ```
///
/// Order: `Host` (a loopback resource refuses another host, 403), `Origin` (403 unless allowed;
/// DNS-rebinding protection; an allowed one gets CORS headers, `CrossOriginRule`, and its
/// preflight is answered here), then for every method but `OPTIONS`: the bearer
/// token (401/400/503), the body limit (413), the scope policy and rate limit (403/429). The
/// verified identity goes into the context; `tools/call` outcomes are audited.
public struct MCPRouteGuard<Context: MCPAuthRequestContext>: RouterMiddleware {
  /// The decision maker this guard asks.
  public let authorizer: ResourceServerAuthorizer

  /// A guard for every route it is attached to.
  public init(authorizer: ResourceServerAuthorizer) {
    self.authorizer = authorizer
  }

  /// Refuses what does not pass, or calls `next` with the verified identity in the context.
  public func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let origin = request.headers[.origin]
    if request.method == .options {
      // Preflight and other OPTIONS: only the Host and Origin checks, then CORS or the route.
      if let refused = authorizer.checkHost(authority: request.head.authority)
        ?? authorizer.checkOrigin(headerFields: request.headers)
      {
        return MCPAuthMiddleware<Context>.response(refused)
      }
      if let origin,
        CrossOriginRule.isPreflight(method: request.method, headerFields: request.headers)
      {
        return Response(
          status: .noContent,
          headers: CrossOriginRule.preflightFields(
            origin: origin, methods: CrossOriginRule.endpointMethods))
      }
      return try await next(request, context)
    }
    // An `Origin` that passes the list's Origin check gets CORS headers on every answer.
    let allowedOrigin = origin.flatMap {
      authorizer.checkOrigin(headerFields: request.headers) == nil ? $0 : nil
    }
    var response = try await checkedResponse(request, context: context, next: next)
    if allowedOrigin != nil {
      response.headers.append(contentsOf: CrossOriginRule.responseFields(origin: allowedOrigin))
    }
    return response
  }

  /// The authorizer's ordered checks (`ResourceServerAuthorizer.authorize(method:authority:
  /// headerFields:readBody:)`), then the handler with the verified identity; `tools/call`
  /// outcomes audited.
  private func checkedResponse(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    var request = request
    let limit = authorizer.configuration.maximumBodyBytes
    let decision = await authorizer.authorize(
      method: request.method, authority: request.head.authority, headerFields: request.headers
    ) {
      do {
        return .bytes(Array(buffer: try await request.collectBody(upTo: limit)))
      } catch {
        return .tooLarge
      }
    }
    let identity: VerifiedIdentity
    let calls: [JSONRPCCall]
    switch decision {
    case .allowed(let verified, let peeked):
      identity = verified
      calls = peeked
    case .rejected(let rejection): return MCPAuthMiddleware<Context>.response(rejection)
    }
    var context = context
    context.identity = identity
    guard calls.contains(where: \.isToolCall) else { return try await next(request, context) }
    let start = ContinuousClock.now
    do {
      let response = try await next(request, context)
      await authorizer.recordOutcome(
        identity: identity, calls: calls, outcome: "http_\(response.status.code)",
        latency: ContinuousClock.now - start)
      return response
    } catch {
      await authorizer.recordOutcome(
        identity: identity, calls: calls, outcome: "handler_error",
        latency: ContinuousClock.now - start)
      throw error
    }
  }
}
