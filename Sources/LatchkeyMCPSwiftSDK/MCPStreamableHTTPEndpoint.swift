import Foundation
import HTTPTypes
public import Hummingbird
public import LatchkeyMCP
public import Logging
public import MCP
import NIOCore
import ServiceLifecycle
import Synchronization

/// Serves an MCP swift-sdk `Server` over Streamable HTTP on Hummingbird, one `Server` +
/// `StatefulHTTPServerTransport` per session (a shared stateless transport mixes up clients).
///
/// Sessions are created by an `initialize` POST without `MCP-Session-Id`, bound to the verified
/// subject, and dropped on DELETE. POST replies go out as plain `application/json` when the
/// client accepts it and `responseMode` is `.preferJSON` (the default; the SDK's Linux client
/// cannot read SSE), or when the client accepts only JSON; otherwise as SSE.
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
  private let maximumSessions: Int
  private let responseMode: ResponseMode
  private let maximumBodyBytes: Int
  private let sessions = Mutex<[String: SessionEntry]>([:])
  private let sessionIdleTimeout: Duration

  /// A session with what expiry needs: when it was last used and how many of its requests
  /// (and response streams) are still open.
  private struct SessionEntry: Sendable {
    let session: MCPSession
    var lastUsed: ContinuousClock.Instant
    var active: Int

    /// Nothing open, and unused for longer than `timeout` at `now`.
    func isIdle(at now: ContinuousClock.Instant, longerThan timeout: Duration) -> Bool {
      active == 0 && now - lastUsed > timeout
    }
  }
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
    self.maximumSessions = maximumSessions
    self.responseMode = responseMode
    self.maximumBodyBytes = maximumBodyBytes
    self.sessionIdleTimeout = sessionIdleTimeout
    self.logger = logger
    self.validators = [
      originValidator, AcceptHeaderValidator(mode: .sseRequired), ContentTypeValidator(),
      ProtocolVersionValidator(), SessionValidator(),
    ]
  }

  /// Number of open sessions.
  public var sessionCount: Int { sessions.withLock { $0.count } }

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
      return Self.error(413, code: -32600, "Request body too large")
    }
    let wantsJSONOnly = Self.repliesWithJSON(request, mode: responseMode)
    let mcpRequest = Self.mcpRequest(
      request, body: Data(buffer: body), identity: identity, forceSSEAccept: wantsJSONOnly)
    let sessionID = HTTPField.Name(HTTPHeaderName.sessionID).flatMap { request.headers[$0] }

    let session: MCPSession
    var created = false
    if let sessionID {
      guard let existing = await useSession(sessionID) else {
        return Self.error(404, code: -32001, "Session not found")
      }
      guard existing.owner == identity?.subject else {
        release(sessionID)
        return Self.error(404, code: -32001, "Session not found")
      }
      session = existing
    } else {
      guard request.method == .post, Self.isInitialize(body) else {
        return Self.error(
          400, code: -32600, "Bad Request: Mcp-Session-Id header is required")
      }
      await expireIdleSessions()
      guard sessionCount < maximumSessions else {
        return Self.error(503, code: -32000, "Too many sessions")
      }
      session = try await startSession(owner: identity?.subject)
      created = true
    }

    let response = await session.transport.handleRequest(mcpRequest)
    var usedID = sessionID
    if created {
      if let newID = response.headers[HTTPHeaderName.sessionID] {
        sessions.withLock {
          $0[newID] = SessionEntry(session: session, lastUsed: .now, active: 1)
        }
        usedID = newID
      } else {
        await session.server.stop()
      }
    }
    if request.method == .delete, let sessionID, response.statusCode == 200 {
      sessions.withLock { $0[sessionID] = nil }
      await session.server.stop()
      usedID = nil
    }
    let finishedID = usedID
    return await Self.hummingbirdResponse(
      response, asJSON: wantsJSONOnly,
      onFinished: { [self] in if let finishedID { release(finishedID) } },
      onGracefulShutdown: { [self] in Task { await self.shutdown() } })
  }

  /// The session with this id, counted as in use until `release`; nil when unknown, or idle
  /// past `sessionIdleTimeout` (then it is ended now).
  private func useSession(_ id: String) async -> MCPSession? {
    let now = ContinuousClock.now
    let (found, expired) = sessions.withLock { sessions -> (MCPSession?, MCPSession?) in
      guard var entry = sessions[id] else { return (nil, nil) }
      if entry.isIdle(at: now, longerThan: sessionIdleTimeout) {
        sessions[id] = nil
        return (nil, entry.session)
      }
      entry.active += 1
      entry.lastUsed = now
      sessions[id] = entry
      return (entry.session, nil)
    }
    if let expired { await expired.server.stop() }
    return found
  }

  /// Ends one use of the session (its response, stream included, is finished).
  private func release(_ id: String) {
    sessions.withLock { sessions in
      guard var entry = sessions[id] else { return }
      entry.active = max(0, entry.active - 1)
      entry.lastUsed = .now
      sessions[id] = entry
    }
  }

  /// Ends every session idle past `sessionIdleTimeout` with nothing open.
  func expireIdleSessions() async {
    let now = ContinuousClock.now
    let expired = sessions.withLock { sessions -> [MCPSession] in
      let ids = sessions.filter { $0.value.isIdle(at: now, longerThan: sessionIdleTimeout) }
        .map(\.key)
      return ids.compactMap { sessions.removeValue(forKey: $0)?.session }
    }
    for session in expired { await session.server.stop() }
  }

  private func startSession(owner: String?) async throws -> MCPSession {
    let transport = StatefulHTTPServerTransport(
      validationPipeline: StandardValidationPipeline(validators: validators), logger: logger)
    let server = try await makeServer()
    try await server.start(transport: transport)
    return MCPSession(server: server, transport: transport, owner: owner)
  }

  /// Stops every session's server.
  public func shutdown() async {
    let all = sessions.withLock { sessions in
      defer { sessions = [:] }
      return sessions.values.map(\.session)
    }
    for session in all { await session.server.stop() }
  }

  // MARK: - Conversion

  static func repliesWithJSON(_ request: Hummingbird.Request, mode: ResponseMode) -> Bool {
    guard request.method == .post else { return false }
    let accept = request.headers[values: .accept].joined(separator: ",").lowercased()
    guard accept.contains("text/event-stream") else { return true }
    return mode == .preferJSON && accept.contains("application/json")
  }

  static func isInitialize(_ body: ByteBuffer) -> Bool {
    guard case .calls(let calls) = JSONRPCPeek.peek(body.readableBytesView) else { return false }
    return calls.count == 1 && calls[0].method == "initialize"
  }

  /// The framework-neutral request the SDK transport takes. `Host` comes from the request's
  /// authority; a client-sent identity header is dropped and replaced by the verified one.
  static func mcpRequest(
    _ request: Hummingbird.Request, body: Data, identity: VerifiedIdentity?, forceSSEAccept: Bool
  ) -> MCP.HTTPRequest {
    var headers: [String: String] = [:]
    for field in request.headers {
      let name = field.name.canonicalName
      if name == IdentityHeader.canonicalName { continue }
      headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
    }
    if let authority = request.head.authority { headers["host"] = authority }
    if forceSSEAccept { headers["accept"] = "application/json, text/event-stream" }
    if let identity, let encoded = IdentityHeader.encode(identity) {
      headers[IdentityHeader.name] = encoded
    }
    return MCP.HTTPRequest(
      method: request.method.rawValue, headers: headers, body: body.isEmpty ? nil : body,
      path: request.uri.path)
  }

  /// - Parameter onGracefulShutdown: called when the server shuts down gracefully while an
  ///   event stream is open; it ends every session, which finishes their streams, so the
  ///   server's wait for in-flight requests ends instead of running into its time limit.
  ///   - onFinished: called once the response is complete: at once for a plain reply, when the
  ///     stream ends for an event stream.
  static func hummingbirdResponse(
    _ response: MCP.HTTPResponse, asJSON: Bool,
    onFinished: @escaping @Sendable () -> Void = {},
    onGracefulShutdown: @escaping @Sendable () -> Void = {}
  ) async -> Hummingbird.Response {
    var fields = HTTPFields()
    for (name, value) in response.headers {
      guard let fieldName = HTTPField.Name(name) else { continue }
      fields[fieldName] = value
    }
    let status = HTTPTypes.HTTPResponse.Status(code: response.statusCode)
    switch response {
    case .stream(let stream, _) where asJSON:
      defer { onFinished() }
      var collected = Data()
      do {
        for try await chunk in stream { collected.append(chunk) }
      } catch {
        return Self.error(500, code: -32603, "Internal error")
      }
      let messages = SSEMessages.dataPayloads(String(decoding: collected, as: UTF8.self))
      guard let last = messages.last else {
        return Hummingbird.Response(status: .accepted, headers: fields)
      }
      fields[.contentType] = "application/json"
      fields[.cacheControl] = "no-store"
      fields[.connection] = nil
      return Hummingbird.Response(
        status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: last)))
    case .stream(let stream, _):
      return Hummingbird.Response(
        status: status, headers: fields,
        body: ResponseBody { writer in
          defer { onFinished() }
          try await withGracefulShutdownHandler {
            for try await chunk in stream { try await writer.write(ByteBuffer(bytes: chunk)) }
          } onGracefulShutdown: {
            onGracefulShutdown()
          }
          try await writer.finish(nil)
        })
    default:
      onFinished()
      let body = response.bodyData.map { ByteBuffer(bytes: $0) } ?? ByteBuffer()
      return Hummingbird.Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }
  }

  static func error(_ status: Int, code: Int, _ message: String) -> Hummingbird.Response {
    Hummingbird.Response(
      status: HTTPTypes.HTTPResponse.Status(code: status),
      headers: [.contentType: "application/json"],
      body: .init(
        byteBuffer: ByteBuffer(
          string: JSONRPCErrorBody.render(code: code, message: message))))
  }
}
