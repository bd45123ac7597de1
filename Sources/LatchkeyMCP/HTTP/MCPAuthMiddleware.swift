import HTTPTypes
public import Hummingbird
import NIOCore

/// Hummingbird middleware that serves RFC 9728 metadata and guards the MCP endpoint.
///
/// Requests to `configuration.metadataPath` get the metadata document (no token needed).
/// Every request to `configuration.endpointPath` must pass `MCPRouteGuard`'s checks (`Host`,
/// `Origin`, then the bearer token and the scope policy for everything but CORS preflight);
/// the verified identity is put into the context. Other paths pass through untouched, so the
/// middleware can sit in front of any responder.
///
/// "A request to the endpoint path" is decided by `EndpointPathRule`, which treats every path a
/// router could map to the endpoint (`/mcp/`, `//mcp`, `/MCP`, `/%6Dcp`, `/x/../mcp`, `/mcp;a`)
/// as the endpoint, so no variant reaches the handler unchecked. To tie the checks to the
/// route itself instead, put `MCPRouteGuard` on a router group.
public struct MCPAuthMiddleware<Context: MCPAuthRequestContext>: RouterMiddleware {
  /// The decision maker this middleware asks.
  public let authorizer: ResourceServerAuthorizer
  private let metadataBody: ByteBuffer
  private let endpointSegments: [String]
  private let metadataSegments: [String]
  private let routeGuard: MCPRouteGuard<Context>

  /// A middleware guarding `authorizer.configuration.endpointPath` and serving its metadata.
  public init(authorizer: ResourceServerAuthorizer) {
    self.authorizer = authorizer
    self.metadataBody = ByteBuffer(
      bytes: (try? MetadataEncoder.encode(authorizer.configuration.metadata)) ?? [])
    self.endpointSegments = EndpointPathRule.segments(authorizer.configuration.endpointPath)
    self.metadataSegments = EndpointPathRule.segments(authorizer.configuration.metadataPath)
    self.routeGuard = MCPRouteGuard(authorizer: authorizer)
  }

  /// Serves the metadata document, rejects unauthorized requests to the endpoint, and passes
  /// everything else on with the verified identity in the context.
  public func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let path = request.uri.path
    let configuration = authorizer.configuration
    // The exact path first: the common request costs one comparison, no normalisation.
    if path == configuration.endpointPath
      || (path != configuration.metadataPath
        && EndpointPathRule.covers(requestPath: path, endpointSegments: endpointSegments))
    {
      return try await routeGuard.handle(request, context: context, next: next)
    }
    if request.method == .get || request.method == .head || request.method == .options,
      path == configuration.metadataPath
        || EndpointPathRule.covers(requestPath: path, endpointSegments: metadataSegments)
    {
      return metadataResponse(request)
    }
    return try await next(request, context)
  }

  /// The RFC 9728 document; an allowed `Origin` (`OriginRule`) gets CORS headers and its
  /// preflight answered, any other origin gets the document without them (a browser then
  /// cannot read it; other clients are unaffected).
  private func metadataResponse(_ request: Request) -> Response {
    let allowedOrigin = request.headers[.origin].flatMap { origin in
      authorizer.checkOrigin(headerFields: request.headers) == nil ? origin : nil
    }
    if request.method == .options {
      guard let allowedOrigin else { return Response(status: .noContent) }
      return Response(
        status: .noContent,
        headers: CrossOriginRule.preflightFields(
          origin: allowedOrigin, methods: "GET, HEAD, OPTIONS"))
    }
    var headers: HTTPFields = [
      .contentType: "application/json", .cacheControl: "public, max-age=3600",
      HTTPField.Name("X-Content-Type-Options")!: "nosniff",
    ]
    headers.append(contentsOf: CrossOriginRule.responseFields(origin: allowedOrigin))
    if allowedOrigin == nil { headers[.vary] = "Origin" }
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: metadataBody))
  }

  /// The rejection as a Hummingbird response.
  public static func response(_ rejection: Rejection) -> Response {
    Response(
      status: rejection.status, headers: rejection.headerFields,
      body: .init(byteBuffer: ByteBuffer(string: rejection.body)))
  }
}
