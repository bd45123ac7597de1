import HTTPTypes
public import Hummingbird
import NIOCore

/// Hummingbird middleware that serves RFC 9728 metadata and guards the MCP endpoint.
///
/// Requests to `configuration.metadataPath` get the metadata document (no token needed).
/// Every request to `configuration.endpointPath` must first pass the `Host` check (for a
/// loopback resource) and the `Origin` check (403 otherwise, DNS-rebinding protection); then every one except CORS preflight `OPTIONS` must
/// pass `ResourceServerAuthorizer`; the verified identity is put into the context. Other paths pass
/// through untouched, so the middleware can sit in front of any responder.
public struct MCPAuthMiddleware<Context: MCPAuthRequestContext>: RouterMiddleware {
  /// The decision maker this middleware asks.
  public let authorizer: ResourceServerAuthorizer
  private let metadataBody: ByteBuffer

  /// A middleware guarding `authorizer.configuration.endpointPath` and serving its metadata.
  public init(authorizer: ResourceServerAuthorizer) {
    self.authorizer = authorizer
    self.metadataBody = ByteBuffer(
      bytes: (try? MetadataEncoder.encode(authorizer.configuration.metadata)) ?? [])
  }

  /// Serves the metadata document, rejects unauthorized requests to the endpoint, and passes
  /// everything else on with the verified identity in the context.
  public func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let configuration = authorizer.configuration
    let path = request.uri.path
    if path == configuration.metadataPath, request.method == .get || request.method == .head {
      return metadataResponse()
    }
    guard path == configuration.endpointPath else { return try await next(request, context) }
    if let refused = authorizer.checkHost(authority: request.head.authority)
      ?? authorizer.checkOrigin(headerFields: request.headers)
    {
      return Self.response(refused)
    }
    guard request.method != .options else { return try await next(request, context) }
    let identity: VerifiedIdentity
    switch await authorizer.authenticate(headerFields: request.headers) {
    case .success(let verified): identity = verified
    case .failure(let rejection): return Self.response(rejection)
    }
    var request = request
    var body: [UInt8]?
    if request.method == .post {
      do {
        let buffer = try await request.collectBody(upTo: configuration.maximumBodyBytes)
        body = Array(buffer: buffer)
      } catch {
        return Self.response(authorizer.payloadTooLarge())
      }
    }
    let calls: [JSONRPCCall]
    switch await authorizer.authorize(
      identity: identity, method: request.method, headerFields: request.headers, body: body)
    {
    case .allowed(_, let peeked): calls = peeked
    case .rejected(let rejection): return Self.response(rejection)
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

  private func metadataResponse() -> Response {
    Response(
      status: .ok,
      headers: [
        .contentType: "application/json", .cacheControl: "public, max-age=3600",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
      ],
      body: .init(byteBuffer: metadataBody))
  }

  /// The rejection as a Hummingbird response.
  public static func response(_ rejection: Rejection) -> Response {
    Response(
      status: rejection.status, headers: rejection.headerFields,
      body: .init(byteBuffer: ByteBuffer(string: rejection.body)))
  }
}
