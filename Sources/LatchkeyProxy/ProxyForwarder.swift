import Foundation
import HTTPTypes
public import Hummingbird
public import LatchkeyMCP
public import Logging
import NIOCore
import ServiceLifecycle

/// Forwards requests the middleware has allowed to the upstream MCP server and streams the
/// answer back. The bearer token never leaves this process; the verified identity travels in
/// `X-Latchkey-*` fields instead (`ForwardingRules`).
public struct ProxyForwarder: Sendable {
  public let client: UpstreamClient
  /// The public MCP endpoint URL's host and scheme, for `X-Forwarded-Host`/`-Proto`.
  let publicHost: String?
  let publicScheme: String?
  let maximumBodyBytes: Int
  /// Send the user's upstream token (`X-Latchkey-Upstream-Token`) with every request.
  let forwardsUpstreamToken: Bool
  let logger: Logger

  public init(
    client: UpstreamClient, resource: String, maximumBodyBytes: Int = 1 << 20,
    forwardsUpstreamToken: Bool = false, logger: Logger = Logger(label: "latchkey.proxy")
  ) {
    self.client = client
    self.forwardsUpstreamToken = forwardsUpstreamToken
    let origin = WellKnownLocation.parseResource(resource)?.origin
    let parts = origin?.components(separatedBy: "://")
    self.publicScheme = parts?.first?.lowercased()
    self.publicHost = parts?.last
    self.maximumBodyBytes = maximumBodyBytes
    self.logger = logger
  }

  /// Forwards one request. Upstream unreachable or closed early → 502, no head in time → 504,
  /// each with a fixed JSON-RPC error body (no addresses, no error details).
  public func forward(
    _ request: Request, identity: VerifiedIdentity, clientAddress: String?
  ) async throws -> Response {
    var request = request
    let body: ByteBuffer?
    do {
      let collected = try await request.collectBody(upTo: maximumBodyBytes)
      body = collected.readableBytes > 0 ? collected : nil
    } catch {
      return Self.error(
        .contentTooLarge, code: JSONRPCErrorBody.invalidRequest, "Request body too large")
    }
    var fields = ForwardingRules.upstreamRequestFields(
      request.headers, identity: identity, upstreamAuthority: client.target.authority,
      publicHost: publicHost, publicScheme: publicScheme, clientAddress: clientAddress)
    if forwardsUpstreamToken {
      let outcome: Result<UpstreamAccessToken, UpstreamTokenUnavailable>
      do throws(UpstreamTokenUnavailable) {
        outcome = .success(try await identity.upstreamToken())
      } catch {
        outcome = .failure(error)
      }
      ForwardingRules.setUpstreamToken(&fields, outcome)
    }
    var path = client.target.path
    if let query = request.uri.query, !query.isEmpty { path += "?" + query }
    let upstream: UpstreamClient.Response
    do {
      upstream = try await client.send(
        method: request.method, path: path, headerFields: fields, body: body)
    } catch {
      logger.warning("upstream failed", metadata: ["error": "\(error)"])
      if error == .timedOut {
        return Self.error(
          .gatewayTimeout, code: JSONRPCErrorBody.serverError, "Upstream MCP server timed out")
      }
      return Self.error(
        .badGateway, code: JSONRPCErrorBody.serverError, "Upstream MCP server unavailable")
    }
    let headers = ForwardingRules.downstreamResponseFields(upstream.headerFields)
    let isEventStream =
      upstream.headerFields[.contentType]?.lowercased().hasPrefix("text/event-stream") ?? false
    let upstreamBody = upstream.body
    return Response(
      status: upstream.status, headers: headers,
      body: ResponseBody { writer in
        try await Self.relay(upstreamBody, to: &writer, endsOnShutdown: isEventStream)
        try await writer.finish(nil)
      })
  }

  /// Copies body parts as they arrive. An event stream has no natural end, so on graceful
  /// shutdown its upstream connection is closed, which ends the relay and lets the server stop.
  static func relay(
    _ body: UpstreamBody, to writer: inout any ResponseBodyWriter, endsOnShutdown: Bool
  ) async throws {
    if endsOnShutdown {
      try await withGracefulShutdownHandler {
        try await body.stream { try await writer.write($0) }
      } onGracefulShutdown: {
        body.close()
      }
    } else {
      try await body.stream { try await writer.write($0) }
    }
  }

  static func error(_ status: HTTPResponse.Status, code: Int, _ message: String) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
      body: .init(
        byteBuffer: ByteBuffer(string: JSONRPCErrorBody.render(code: code, message: message))))
  }
}
