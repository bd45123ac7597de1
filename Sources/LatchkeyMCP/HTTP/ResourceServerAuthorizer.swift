import Foundation
public import HTTPTypes
public import LatchkeyCore
public import Logging

/// The framework-neutral core of the middleware: authenticate the bearer token, peek at the
/// JSON-RPC body, apply the scope policy and the `tools/call` rate limit, audit tool calls.
/// `MCPAuthMiddleware` wraps it for Hummingbird; benchmarks and other servers call it directly.
public final class ResourceServerAuthorizer: Sendable {
  /// What is protected and how.
  public let configuration: ProtectedResourceConfiguration
  /// Checks bearer tokens.
  public let verifier: any AccessTokenVerifier
  /// The `tools/call` limiter built from the configuration's limits.
  public let rateLimiter: ToolCallRateLimiter
  /// Receives one record per `tools/call`.
  public let auditSink: any ToolCallAuditSink
  /// Verification outcomes and latency, rate-limit rejections (docs/metrics.md).
  public let metrics: ResourceServerMetrics
  /// Where verified identities fetch their upstream token (``VerifiedIdentity/upstreamToken()``);
  /// nil: none.
  public let upstreamTokens: (any UpstreamTokenSource)?
  private let clock: any WallClock
  private let logger: Logger

  /// - Parameters:
  ///   - configuration: the resource, issuer, scope policy and limits.
  ///   - verifier: checks bearer tokens, usually a ``JWTAccessTokenVerifier``.
  ///   - auditSink: receives one record per `tools/call`.
  ///   - clock: the time source for rate limits and audit records.
  ///   - logger: rejections are logged at `debug`, without tokens.
  ///   - metrics: verification and rate-limit metrics (docs/metrics.md).
  ///   - upstreamTokens: gives handlers the identity provider's token of the user through
  ///     ``VerifiedIdentity/upstreamToken()`` (usually a ``RemoteUpstreamTokenSource``).
  public init(
    configuration: ProtectedResourceConfiguration, verifier: any AccessTokenVerifier,
    auditSink: any ToolCallAuditSink = LoggingToolCallAuditSink(),
    clock: any WallClock = SystemClock(),
    logger: Logger = Logger(label: "latchkey.mcp"),
    metrics: ResourceServerMetrics = ResourceServerMetrics(),
    upstreamTokens: (any UpstreamTokenSource)? = nil
  ) {
    self.metrics = metrics
    self.upstreamTokens = upstreamTokens
    self.configuration = configuration
    self.verifier = verifier
    self.auditSink = auditSink
    self.clock = clock
    self.logger = logger
    self.rateLimiter = ToolCallRateLimiter(
      defaultLimit: configuration.toolCallLimit, toolLimits: configuration.toolCallLimits,
      clock: clock)
  }

  /// The request body as the checks see it: read only once the token is verified.
  public enum RequestBody: Sendable, Equatable {
    /// No body (GET, DELETE) or none sent.
    case none
    /// The whole body, within `maximumBodyBytes`.
    case bytes([UInt8])
    /// Longer than `maximumBodyBytes` (413).
    case tooLarge
  }

  /// The ordered checks of the resource server, the one list every caller drives
  /// (`MCPRouteGuard` and so `MCPAuthMiddleware` and `latchkey proxy`, and the benchmarks):
  /// 1. `checkHost` (when the caller knows the request's `authority`) and `checkOrigin` — 403;
  /// 2. `authenticate` — 401/400/503, before any body is read;
  /// 3. the body, read through `readBody` for a POST — 413;
  /// 4. `authorize(identity:method:headerFields:body:)` — JSON-RPC, scopes, rate limit.
  /// Allowed tool calls are audited by the caller through `recordOutcome` once the handler has
  /// answered.
  public func authorize(
    method: HTTPRequest.Method, authority: String? = nil, headerFields: HTTPFields,
    readBody: () async -> RequestBody
  ) async -> AuthorizationDecision {
    if let authority, let refused = checkHost(authority: authority) { return .rejected(refused) }
    if let refused = checkOrigin(headerFields: headerFields) { return .rejected(refused) }
    let identity: VerifiedIdentity
    switch await authenticate(headerFields: headerFields) {
    case .success(let verified): identity = verified
    case .failure(let rejection): return .rejected(rejection)
    }
    var body: [UInt8]?
    if method == .post {
      switch await readBody() {
      case .none: body = nil
      case .bytes(let bytes): body = bytes
      case .tooLarge: return .rejected(payloadTooLarge())
      }
    }
    return await authorize(
      identity: identity, method: method, headerFields: headerFields, body: body)
  }

  /// The same list for a body already in hand.
  public func authorize(
    method: HTTPRequest.Method, authority: String? = nil, headerFields: HTTPFields,
    body: [UInt8]?
  ) async -> AuthorizationDecision {
    let limit = configuration.maximumBodyBytes
    return await authorize(method: method, authority: authority, headerFields: headerFields) {
      guard let body else { return .none }
      return body.count > limit ? .tooLarge : .bytes(body)
    }
  }

  /// Step 0, with the `Origin` check: `LoopbackHostRule` for a resource on the loopback
  /// interface (DNS rebinding). Nil when the request may proceed, else a 403 whose JSON-RPC
  /// error has no `id`.
  public func checkHost(authority: String?) -> Rejection? {
    guard
      !LoopbackHostRule.admits(
        authority: authority, resourceIsLoopback: configuration.resourceHostIsLoopback)
    else { return nil }
    logger.debug("rejected", metadata: ["status": "403", "reason": "Host is not a loopback name"])
    return jsonRPCError(
      .forbidden, code: JSONRPCErrorBody.invalidRequest, message: "Forbidden: Host not allowed",
      reason: "Host is not a loopback name")
  }

  /// Step 0, before anything else: `OriginRule` (MCP transports "Security Warning",
  /// DNS-rebinding protection). Nil when the request may proceed, else a 403 whose JSON-RPC
  /// error has no `id`.
  public func checkOrigin(headerFields: HTTPFields) -> Rejection? {
    let decision = OriginRule.decide(
      headerFields[values: .origin], resourceOrigin: configuration.resourceOrigin,
      allowedOrigins: configuration.allowedOrigins)
    guard case .refused(let reason) = decision else { return nil }
    logger.debug("rejected", metadata: ["status": "403", "reason": "\(reason)"])
    return jsonRPCError(
      .forbidden, code: JSONRPCErrorBody.invalidRequest, message: "Forbidden: Origin not allowed",
      reason: reason)
  }

  /// Step 1, before the body is read: RFC 6750 §2.1 credentials from the header only, then
  /// token verification. 401 (or 400 for a malformed header) on failure.
  public func authenticate(headerFields: HTTPFields) async -> Result<VerifiedIdentity, Rejection> {
    let token: String
    switch BearerCredentials.parse(headerFields[values: .authorization]) {
    case .absent:
      metrics.recordVerification(.missingToken)
      return .failure(unauthorized(error: nil, reason: "no bearer token"))
    case .malformed:
      metrics.recordVerification(.malformedHeader)
      return .failure(malformedAuthorization())
    case .token(let value): token = value
    }
    let started = ContinuousClock.now
    defer { metrics.recordVerificationDuration(ContinuousClock.now - started) }
    do throws(TokenRejection) {
      var identity = try await verifier.verify(token)
      metrics.recordVerification(.valid)
      if let upstreamTokens {
        identity.upstream = UpstreamTokenAccessor(source: upstreamTokens, bearer: token)
      }
      return .success(identity)
    } catch {
      metrics.recordVerification(VerificationOutcome(error))
      if error == .keysUnavailable { return .failure(keysUnavailable()) }
      return .failure(
        unauthorized(
          error: "invalid_token", description: Self.errorDescription(error),
          reason: error.reason))
    }
  }

  /// Step 2: JSON-RPC peeking (POST), the request metadata headers (`Mcp-Method`, `Mcp-Name`)
  /// against the body, scope policy, `tools/call` rate limit. GET and DELETE need the base
  /// scopes.
  public func authorize(
    identity: VerifiedIdentity, method: HTTPRequest.Method, headerFields: HTTPFields = [:],
    body: [UInt8]?
  ) async -> AuthorizationDecision {
    let policy = configuration.scopePolicy
    guard method == .post else {
      if case .insufficient(let challenge) = ScopeDecision.decide(
        held: identity.scopes, needed: policy.baseScopes, policy: policy)
      {
        return .rejected(insufficientScope(challenge, id: nil))
      }
      return .allowed(identity, calls: [])
    }
    let calls: [JSONRPCCall]
    switch JSONRPCPeek.peek(body ?? []) {
    case .calls(let peeked): calls = peeked
    case .parseError:
      return .rejected(
        jsonRPCError(
          .badRequest, code: JSONRPCErrorBody.parseError, message: "Parse error",
          reason: "malformed JSON"))
    case .invalidRequest:
      return .rejected(
        jsonRPCError(
          .badRequest, code: JSONRPCErrorBody.invalidRequest, message: "Invalid Request",
          reason: "not a JSON-RPC message"))
    }
    let singleID = calls.count == 1 ? calls[0].id : nil
    if let mismatch = RequestMetadataHeaders.validate(headerFields, calls: calls) {
      return .rejected(headerMismatch(mismatch, id: singleID))
    }
    let needed = policy.requiredScopes(for: calls)
    if case .insufficient(let challenge) = ScopeDecision.decide(
      held: identity.scopes, needed: needed, policy: policy)
    {
      await audit(calls, identity: identity, decision: .denied, outcome: "http_403")
      return .rejected(insufficientScope(challenge, id: singleID))
    }
    for call in calls where call.isToolCall {
      let decision = rateLimiter.admit(
        clientID: identity.clientID, subject: identity.subject, tool: call.toolName)
      if case .limited(let retryAfter) = decision {
        metrics.recordRateLimited()
        await audit(calls, identity: identity, decision: .limited, outcome: "http_429")
        return .rejected(rateLimited(retryAfter: retryAfter, id: singleID))
      }
    }
    return .allowed(identity, calls: calls)
  }

  /// Audits the allowed `tools/call`s of a request once the handler answered.
  public func recordOutcome(
    identity: VerifiedIdentity, calls: [JSONRPCCall], outcome: String, latency: Duration
  ) async {
    await audit(calls, identity: identity, decision: .allowed, outcome: outcome, latency: latency)
  }

  private func audit(
    _ calls: [JSONRPCCall], identity: VerifiedIdentity, decision: ToolCallDecision,
    outcome: String, latency: Duration? = nil
  ) async {
    let now = clock.now()
    for call in calls where call.isToolCall {
      await auditSink.record(
        ToolCallAuditRecord(
          time: now, subject: identity.subject, clientID: identity.clientID,
          resource: configuration.resource, tool: call.toolName, decision: decision,
          latency: latency, outcome: outcome, apiKey: identity.apiKey))
    }
  }

  // MARK: - Rejections

  /// RFC 6750 §3 `error_description` of a refusal the client's developer must act on: only an
  /// API key sent to a resource server that cannot introspect it. Other refusals say nothing
  /// more than `invalid_token`.
  static func errorDescription(_ rejection: TokenRejection) -> String? {
    guard rejection == .apiKeysNeedIntrospection else { return nil }
    return "API keys need introspection; this resource server accepts only JWT access tokens "
      + "(configure introspection credentials to accept lk_pat_ keys)"
  }

  /// RFC 6750 §3 / RFC 9728 §5.1: 401 with `resource_metadata` and the starting `scope`.
  func unauthorized(error: String?, description: String? = nil, reason: String) -> Rejection {
    let challenge = BearerChallenge.unauthorized(
      error: error, description: description, scope: configuration.challengeScopes.parameter,
      resourceMetadata: configuration.metadataURL)
    logger.debug("rejected", metadata: ["status": "401", "reason": "\(reason)"])
    return jsonRPCError(
      .unauthorized, code: JSONRPCErrorBody.serverError,
      message: error == nil ? "Authorization required" : "Invalid or expired access token",
      reason: reason, extra: [.wwwAuthenticate: challenge])
  }

  /// RFC 6750 §3.1 `invalid_request` → 400 for a malformed Authorization header.
  func malformedAuthorization() -> Rejection {
    let challenge = BearerChallenge.unauthorized(
      error: "invalid_request", scope: configuration.challengeScopes.parameter,
      resourceMetadata: configuration.metadataURL)
    return jsonRPCError(
      .badRequest, code: JSONRPCErrorBody.serverError, message: "Malformed Authorization header",
      reason: "malformed authorization header", extra: [.wwwAuthenticate: challenge])
  }

  /// RFC 6750 §3.1 `insufficient_scope` → 403.
  func insufficientScope(_ scopes: ScopeSet, id: JSONRPCID?) -> Rejection {
    let challenge = BearerChallenge.insufficientScope(
      scope: scopes.parameter, resourceMetadata: configuration.metadataURL)
    return jsonRPCError(
      .forbidden, code: JSONRPCErrorBody.serverError,
      message: "Insufficient scope: the access token does not allow this operation", id: id,
      reason: "insufficient scope", extra: [.wwwAuthenticate: challenge])
  }

  /// RFC 6585 §4: 429 with `Retry-After` (RFC 9110 §10.2.3) and a message a model can act on.
  func rateLimited(retryAfter: Int, id: JSONRPCID?) -> Rejection {
    jsonRPCError(
      .tooManyRequests, code: JSONRPCErrorBody.serverError,
      message:
        "Rate limit exceeded: too many tool calls. Wait \(retryAfter) seconds before calling tools again.",
      id: id, reason: "tool call rate limit", extra: [.retryAfter: String(retryAfter)])
  }

  /// MCP 2026-07-28 Streamable HTTP "Server Validation": 400 with `-32020` `HeaderMismatch`.
  /// The message names the header, never the value sent.
  func headerMismatch(_ mismatch: RequestMetadataHeaders.Mismatch, id: JSONRPCID?) -> Rejection {
    let message =
      switch mismatch {
      case .missing(let header): "Header mismatch: required header \(header) is missing"
      case .differs(let header): "Header mismatch: \(header) does not match the request body"
      case .malformed(let header): "Header mismatch: \(header) is not a valid header value"
      }
    return jsonRPCError(
      .badRequest, code: JSONRPCErrorBody.headerMismatch, message: message, id: id,
      reason: "request metadata header mismatch (\(mismatch.header))")
  }

  /// RFC 9110 §15.5.14: 413 before anything parses the body.
  func payloadTooLarge() -> Rejection {
    jsonRPCError(
      .contentTooLarge, code: JSONRPCErrorBody.invalidRequest, message: "Request body too large",
      reason: "body over \(configuration.maximumBodyBytes) bytes")
  }

  func keysUnavailable() -> Rejection {
    jsonRPCError(
      .serviceUnavailable, code: JSONRPCErrorBody.serverError,
      message: "Authorization temporarily unavailable", reason: "issuer keys unavailable",
      extra: [.retryAfter: "10"])
  }

  func jsonRPCError(
    _ status: HTTPResponse.Status, code: Int, message: String, id: JSONRPCID? = nil,
    reason: String, extra: HTTPFields = [:]
  ) -> Rejection {
    var fields: HTTPFields = [
      .contentType: "application/json", .cacheControl: "no-store",
      HTTPField.Name("X-Content-Type-Options")!: "nosniff",
    ]
    fields.append(contentsOf: extra)
    return Rejection(
      status: status, headerFields: fields,
      body: JSONRPCErrorBody.render(code: code, message: message, id: id), reason: reason)
  }
}
