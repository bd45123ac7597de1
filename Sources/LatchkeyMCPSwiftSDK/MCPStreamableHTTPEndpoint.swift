import Foundation
import HTTPTypes
public import Hummingbird
public import LatchkeyMCP
public import Logging
public import MCP
import NIOCore

/// Serves an MCP swift-sdk `Server` over Streamable HTTP on Hummingbird, one `Server` +
/// `StatefulHTTPServerTransport` per session (a shared stateless transport mixes up clients).
///
/// Sessions are created by an `initialize` POST without `MCP-Session-Id`, bound to the verified
/// subject, and dropped on DELETE. POST replies go out as plain `application/json` when the
/// client accepts it and `responseMode` is `.preferJSON` (the default; the SDK's Linux client
/// cannot read SSE), or when the client accepts only JSON; otherwise as SSE.
///
/// The sessions live in an `MCPSessionRegistry`; `MCPHTTPConversion` turns Hummingbird requests
/// into the transport's and its responses back.
public final class MCPStreamableHTTPEndpoint: Sendable {
  public typealias ServerFactory = @Sendable () async throws -> Server

  /// How replies to POSTs travel (MCP Streamable HTTP lets the server pick either).
  public enum ResponseMode: Sendable {
    /// `application/json` whenever the client accepts it.
    case preferJSON
    /// `text/event-stream` unless the client accepts only JSON.
    case preferSSE
  }

  private let makeServer: ServerFactory
  private let validators: [any HTTPRequestValidator]
  private let responseMode: ResponseMode
  private let maximumBodyBytes: Int
  private let sessions: MCPSessionRegistry
  private let logger: Logger

  /// - Parameters:
  ///   - originValidator: DNS-rebinding protection (MCP transports "Security Warning");
  ///     `.localhost()` for local servers, configured hosts/origins for deployed ones.
  ///   - maximumSessions: further `initialize` requests get 503 until sessions end.
  ///   - maximumBodyBytes: larger POST bodies get 413 (the middleware checks first when
  ///     present; this bounds unprotected use).
  ///   - sessionIdleTimeout: a session with no request and no open stream for this long is
  ///     ended (its next request gets 404, and the client starts a new session, as MCP
  ///     requires). Most clients never send DELETE, and the SDK transport keeps every event of
  ///     a session for resumption, so without this sessions would pile up until
  ///     `maximumSessions` refused every new client.
  public init(
    originValidator: OriginValidator = .localhost(), maximumSessions: Int = 1_000,
    responseMode: ResponseMode = .preferJSON, maximumBodyBytes: Int = 1 << 20,
    sessionIdleTimeout: Duration = .seconds(30 * 60),
    logger: Logger = Logger(label: "latchkey.mcp.endpoint"),
    makeServer: @escaping ServerFactory
  ) {
    self.makeServer = makeServer
    self.responseMode = responseMode
    self.maximumBodyBytes = maximumBodyBytes
    self.sessions = MCPSessionRegistry(
      idleTimeout: sessionIdleTimeout, maximumSessions: maximumSessions)
    self.logger = logger
    self.validators = [
      originValidator, AcceptHeaderValidator(mode: .sseRequired), ContentTypeValidator(),
      ProtocolVersionValidator(), SessionValidator(),
    ]
  }

  /// Number of open sessions.
  public var sessionCount: Int { sessions.count }

  /// Handles one request to the MCP endpoint; `identity` is what the middleware verified
  /// (nil for an unprotected server).
  public func handle(_ request: Hummingbird.Request, identity: VerifiedIdentity?) async throws
    -> Hummingbird.Response
  {
    var request = request
    let body: ByteBuffer
    do {
      body = try await request.collectBody(upTo: maximumBodyBytes)
    } catch {
      return Self.refusal(413, code: JSONRPCErrorBody.invalidRequest, "Request body too large")
    }
    let wantsJSONOnly = MCPHTTPConversion.repliesWithJSON(request, mode: responseMode)
    // The accessor stays registered until the response is finished (`onFinished`); a request
    // refused before it reaches the transport drops it here.
    let upstreamKey = identity?.upstream.map(UpstreamAccessors.register)
    var upstreamKeyHandedOver = false
    defer { if !upstreamKeyHandedOver, let upstreamKey { UpstreamAccessors.remove(upstreamKey) } }
    let mcpRequest = MCPHTTPConversion.mcpRequest(
      request, body: Data(buffer: body), identity: identity, forceSSEAccept: wantsJSONOnly,
      upstreamKey: upstreamKey)
    let sessionID = HTTPField.Name(HTTPHeaderName.sessionID).flatMap { request.headers[$0] }

    let session: MCPSession
    var created = false
    if let sessionID {
      guard let existing = await sessions.use(sessionID) else {
        return Self.refusal(404, code: JSONRPCErrorBody.sessionNotFound, "Session not found")
      }
      guard existing.owner == identity?.subject else {
        sessions.release(sessionID)
        return Self.refusal(404, code: JSONRPCErrorBody.sessionNotFound, "Session not found")
      }
      session = existing
    } else {
      guard request.method == .post, MCPHTTPConversion.isInitialize(body) else {
        return Self.refusal(
          400, code: JSONRPCErrorBody.invalidRequest,
          "Bad Request: Mcp-Session-Id header is required")
      }
      guard await sessions.makeRoom() else {
        return Self.refusal(503, code: JSONRPCErrorBody.serverError, "Too many sessions")
      }
      session = try await startSession(owner: identity?.subject)
      created = true
    }

    let response = await session.transport.handleRequest(mcpRequest)
    var usedID = sessionID
    if created {
      if let newID = response.headers[HTTPHeaderName.sessionID] {
        sessions.add(session, id: newID)
        usedID = newID
      } else {
        await session.server.stop()
      }
    }
    if request.method == .delete, let sessionID, response.statusCode == 200 {
      await sessions.end(sessionID, session: session)
      usedID = nil
    }
    let finishedID = usedID
    upstreamKeyHandedOver = true
    return await MCPHTTPConversion.hummingbirdResponse(
      response, asJSON: wantsJSONOnly,
      onFinished: { [sessions] in
        if let finishedID { sessions.release(finishedID) }
        if let upstreamKey { UpstreamAccessors.remove(upstreamKey) }
      },
      onGracefulShutdown: { [self] in Task { await self.shutdown() } })
  }

  private func startSession(owner: String?) async throws -> MCPSession {
    let transport = StatefulHTTPServerTransport(
      validationPipeline: StandardValidationPipeline(validators: validators), logger: logger)
    let server = try await makeServer()
    try await server.start(transport: transport)
    return MCPSession(server: server, transport: transport, owner: owner)
  }

  /// Stops every session's server.
  public func shutdown() async { await sessions.shutdown() }

  private static func refusal(_ status: Int, code: Int, _ message: String) -> Hummingbird.Response {
    MCPHTTPConversion.errorResponse(status, code: code, message)
  }
}
