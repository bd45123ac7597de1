import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyMCP
import LatchkeyTestSupport
import NIOCore
import Synchronization

/// The middleware in front of a counting responder, driven through Hummingbird's router
/// test client. `handlerRuns` proves refused requests never reached the handler.
struct MiddlewareHarness: Sendable {
  let issuer: TestIssuer
  let fetcher: StubFetcher
  let clock: FixedClock
  let keySource: JWKSKeySource
  let verifier: JWTAccessTokenVerifier
  let audit: RecordingAuditSink
  let authorizer: ResourceServerAuthorizer
  let runs = HandlerCounter()

  static let policy = ScopePolicy(
    baseScopes: ScopeSet(["notes:read"]),
    toolScopes: [
      "list_notes": ScopeSet(["notes:read"]), "add_note": ScopeSet(["notes:write"]),
      "delete_note": ScopeSet(["notes:write", "notes:admin"]),
    ],
    unlistedToolScopes: ScopeSet(["notes:write"]))

  init(
    resource: String = TestIssuer.resource, toolCallLimit: RateLimit = .perMinute(60),
    toolCallLimits: [String: RateLimit] = [:], maximumBodyBytes: Int = 1 << 20,
    allowedOrigins: [String] = []
  ) throws {
    LeakScan.bootstrapLogging()
    issuer = try TestIssuer()
    fetcher = StubFetcher(issuer: issuer)
    clock = FixedClock(FixedClockStart.date)
    keySource = JWKSKeySource(issuer: issuer.issuer, fetcher: fetcher, clock: clock)
    verifier = JWTAccessTokenVerifier(
      issuer: issuer.issuer, resource: resource, keySource: keySource, clock: clock)
    audit = RecordingAuditSink()
    let configuration = try ProtectedResourceConfiguration(
      resource: resource, issuer: issuer.issuer, scopePolicy: Self.policy,
      resourceName: "Test notes", maximumBodyBytes: maximumBodyBytes,
      toolCallLimit: toolCallLimit, toolCallLimits: toolCallLimits,
      allowedOrigins: allowedOrigins)
    authorizer = ResourceServerAuthorizer(
      configuration: configuration, verifier: verifier, auditSink: audit, clock: clock)
  }

  var metadataURL: String { authorizer.configuration.metadataURL }

  func application() -> some ApplicationProtocol {
    let router = Router(context: MCPAuthContext.self)
    router.add(middleware: MCPAuthMiddleware(authorizer: authorizer))
    let path = RouterPath(authorizer.configuration.endpointPath)
    let runs = runs
    for method in [HTTPRequest.Method.post, .get, .delete, .options] {
      router.on(path, method: method) { _, context -> String in
        runs.increment()
        return "ok \(context.identity?.subject ?? "-")"
      }
    }
    router.get("/health") { _, _ in "healthy" }
    return Application(router: router)
  }

  func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void)
    async throws
  {
    try await application().test(.router) { client in try await body(client) }
  }

  static func toolCall(_ tool: String, id: Int = 1) -> String {
    #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"\#(tool)","arguments":{}}}"#
  }

  static let initialize =
    #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
}

final class HandlerCounter: Sendable {
  private let value = Atomic<Int>(0)
  func increment() { value.add(1, ordering: .relaxed) }
  var count: Int { value.load(ordering: .relaxed) }
}

extension TestClientProtocol {
  func send(
    _ method: HTTPRequest.Method = .post, _ path: String = "/mcp", authorization: String? = nil,
    origins: [String] = [], body: String? = nil, headers extra: HTTPFields = [:]
  ) async throws -> TestResponse {
    var headers: HTTPFields = [.contentType: "application/json"]
    if let authorization { headers[.authorization] = authorization }
    for origin in origins { headers.append(HTTPField(name: .origin, value: origin)) }
    headers.append(contentsOf: extra)
    let response = try await execute(
      uri: path, method: method, headers: headers,
      body: body.map { ByteBuffer(string: $0) })
    LeakScan.observe(
      requestHeaders: headers.map { ($0.name.rawName, $0.value) }, requestBody: nil,
      status: Int(response.status.code),
      responseHeaders: response.headers.map { ($0.name.rawName, $0.value) },
      responseBody: Array(response.body.readableBytesView))
    return response
  }
}
