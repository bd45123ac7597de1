import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyDemo
import LatchkeyMCP
import LatchkeyTestSupport
import Synchronization
import Testing

/// Security review (issue 21) §1: no spelling of the endpoint path reaches an MCP handler
/// without passing the middleware. Each table runs every variant × method without a token and
/// proves the handler never ran (or ran with a verified identity).
@Suite struct PathVariantTests {
  static let methods = ["POST", "GET", "DELETE", "OPTIONS"]
  static let initialize = MiddlewareHarness.initialize

  @Test(arguments: [
    ("/mcp", ["mcp"]), ("/mcp/", ["mcp"]), ("//mcp", ["mcp"]), ("/mcp//", ["mcp"]),
    ("/./mcp", ["mcp"]), ("/x/../mcp", ["mcp"]), ("/%6Dcp", ["mcp"]), ("/MCP", ["mcp"]),
    ("/mcp;a=b", ["mcp"]), ("/mcp?x=1", ["mcp"]), ("/%2Fmcp%2F", ["mcp"]),
    ("/%252Fmcp", ["mcp"]), ("/a/mcp", ["a", "mcp"]), ("/../../mcp", ["mcp"]),
    ("/mcpx", ["mcpx"]), ("/", []), ("/%zz", ["%zz"]),
  ])
  func segmentsNormaliseEveryEquivalence(path: String, expected: [String]) {
    #expect(EndpointPathRule.segments(path) == expected)
  }

  @Test func otherPathsAreNotCovered() {
    let endpoint = EndpointPathRule.segments("/mcp")
    for path in ["/health", "/mcp/tools", "/mcpx", "/", "/m/cp", "/.well-known/x/mcp"] {
      #expect(!EndpointPathRule.covers(requestPath: path, endpointSegments: endpoint))
    }
  }

  /// The example notes server over a real socket: no variant starts a session or runs a tool
  /// without a token, and the ones Hummingbird routes to `/mcp` get the 401 challenge.
  @Test func notesServerRefusesEveryVariantWithoutToken() async throws {
    let (app, issuer, store) = try PathVariantTests.notesServer()
    try await app.test(.live) { client in
      let port = try #require(client.port)
      for target in PathVariants.ofMCP {
        for method in Self.methods {
          for body in method == "POST"
            ? [Self.initialize, MiddlewareHarness.toolCall("add_note")]
            : [""]
          {
            let answer = try await RawHTTPExchange.send(
              port: port, method: method, target: target, headers: Self.mcpHeaders, body: body)
            #expect(
              [401, 403, 404, 405].contains(answer.status), "\(method) \(target) → \(answer.status)"
            )
            #expect(answer.header("mcp-session-id") == nil, "\(method) \(target) opened a session")
            if PathVariants.routedByHummingbird.contains(target), method != "OPTIONS" {
              #expect(answer.status == 401, "\(method) \(target)")
              #expect(answer.header("www-authenticate")?.hasPrefix("Bearer ") == true)
            }
          }
        }
      }
      // With a token, a routed variant works: the middleware authenticated it.
      let token = try issuer.token(aud: PathVariantTests.notesResource, issuedAt: Date())
      let answer = try await RawHTTPExchange.send(
        port: port, method: "POST", target: "/mcp/",
        headers: Self.mcpHeaders + [("Authorization", "Bearer \(token)")], body: Self.initialize)
      #expect(answer.status == 200)
      #expect(answer.header("mcp-session-id") != nil)
    }
    #expect(await store.handledToolCalls == 0)
  }

  /// A minimal Hummingbird app composed the way docs/embedding.md shows (global middleware,
  /// routes by path), one with a case-insensitive router, and one with `MCPRouteGuard` on a
  /// route group: a handler only ever runs with a verified identity.
  @Test(arguments: EmbeddingStyle.allCases)
  func embeddedAppNeverRunsHandlerWithoutIdentity(style: EmbeddingStyle) async throws {
    let harness = try MiddlewareHarness()
    let seen = IdentityLog()
    let app = style.application(authorizer: harness.authorizer, seen: seen)
    try await app.test(.live) { client in
      let port = try #require(client.port)
      for target in PathVariants.ofMCP {
        for method in Self.methods {
          let answer = try await RawHTTPExchange.send(
            port: port, method: method, target: target, headers: Self.mcpHeaders,
            body: method == "POST" ? Self.initialize : "")
          #expect(
            [401, 403, 404, 405].contains(answer.status), "\(style) \(method) \(target)")
          if PathVariants.routedByHummingbird.contains(target), method != "OPTIONS" {
            #expect(answer.status == 401, "\(style) \(method) \(target)")
          }
        }
      }
      let token = try harness.issuer.token()
      let answer = try await RawHTTPExchange.send(
        port: port, method: "POST", target: "//mcp/",
        headers: Self.mcpHeaders + [("Authorization", "Bearer \(token)")], body: Self.initialize)
      #expect(answer.status == 200)
      #expect(answer.body == "ok alice")
    }
    #expect(seen.anonymousRuns == 0)
    #expect(seen.verifiedRuns == 1)
  }

  /// Property check over generated paths: the router may map a path to the handler only
  /// through the middleware (no token here, so the handler must never run).
  @Test(arguments: [EmbeddingStyle.globalMiddleware, .caseInsensitiveRouter])
  func generatedPathsNeverReachTheHandlerUnauthenticated(style: EmbeddingStyle) async throws {
    let harness = try MiddlewareHarness()
    let seen = IdentityLog()
    let app = style.application(authorizer: harness.authorizer, seen: seen)
    var generator = SeededGenerator(seed: 21)
    let segments = ["mcp", "mcp", "MCP", "Mcp", ".", "..", "x", "", "%6Dcp", "mcp;a", "%2F"]
    let paths = (0..<1_500).map { _ in
      let count = Int.random(in: 1...4, using: &generator)
      let joined = (0..<count).map { _ in
        segments[Int.random(in: 0..<segments.count, using: &generator)]
      }.joined(separator: "/")
      return "/" + joined + (Bool.random(using: &generator) ? "/" : "")
    }
    try await app.test(.router) { client in
      for path in paths { _ = try await client.send(.post, path, body: Self.initialize) }
    }
    #expect(seen.anonymousRuns == 0)
  }

  static let notesResource = "http://localhost/mcp"

  /// The example notes server as `latchkey demo` composes it, trusting a test issuer.
  static func notesServer() throws -> (
    app: some ApplicationProtocol, issuer: TestIssuer, store: NotesStore
  ) {
    let issuer = try TestIssuer()
    let verifier = JWTAccessTokenVerifier(
      issuer: issuer.issuer, resource: notesResource,
      keySource: JWKSKeySource(issuer: issuer.issuer, fetcher: StubFetcher(issuer: issuer)))
    let store = NotesStore()
    let app = try buildNotesApplication(
      configuration: NotesConfiguration(resource: notesResource, issuer: issuer.issuer),
      verifier: verifier, store: store)
    return (app, issuer, store)
  }

  static let mcpHeaders = [
    ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
  ]
}

/// How an embedding server attaches the middleware.
enum EmbeddingStyle: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case globalMiddleware, caseInsensitiveRouter, routeGuard

  var testDescription: String { rawValue }

  func application(authorizer: ResourceServerAuthorizer, seen: IdentityLog)
    -> some ApplicationProtocol
  {
    let router =
      self == .caseInsensitiveRouter
      ? Router(context: MCPAuthContext.self, options: .caseInsensitive)
      : Router(context: MCPAuthContext.self)
    let handler: @Sendable (Request, MCPAuthContext) async throws -> String = { _, context in
      seen.record(context.identity)
      return "ok \(context.identity?.subject ?? "-")"
    }
    switch self {
    case .globalMiddleware, .caseInsensitiveRouter:
      router.add(middleware: MCPAuthMiddleware(authorizer: authorizer))
      router.post("/mcp", use: handler)
      router.get("/mcp", use: handler)
      router.delete("/mcp", use: handler)
    case .routeGuard:
      router.group(RouterPath("/mcp")).add(middleware: MCPRouteGuard(authorizer: authorizer))
        .post(use: handler).get(use: handler).delete(use: handler)
    }
    router.get("/health") { _, _ in "healthy" }
    return Application(router: router)
  }
}

/// Which identities the handler saw.
final class IdentityLog: Sendable {
  private let counts = Mutex<(anonymous: Int, verified: Int)>((0, 0))
  func record(_ identity: VerifiedIdentity?) {
    counts.withLock { counts in
      if identity == nil { counts.anonymous += 1 } else { counts.verified += 1 }
    }
  }
  var anonymousRuns: Int { counts.withLock { $0.anonymous } }
  var verifiedRuns: Int { counts.withLock { $0.verified } }
}

/// A deterministic generator (SplitMix64) so the generated paths repeat run to run.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Security review (issue 21) §5 at the resource server: a 100 KB `Authorization` header is
/// answered `431` with a JSON body, and the handler never runs.
@Suite struct OversizeHeaderTests {
  @Test func notesServerAnswers431ForAHugeAuthorizationHeader() async throws {
    let (app, _, store) = try PathVariantTests.notesServer()
    try await app.test(.live) { client in
      let answer = try await RawHTTPExchange.send(
        port: try #require(client.port), method: "POST", target: "/mcp",
        headers: PathVariantTests.mcpHeaders + [
          ("Authorization", "Bearer " + String(repeating: "a", count: 100_000))
        ],
        body: MiddlewareHarness.toolCall("add_note"))
      #expect(answer.status == 431)
      #expect(
        answer.body
          == #"{"error":"invalid_request","error_description":"Request header fields too large."}"#)
    }
    #expect(await store.handledToolCalls == 0)
  }
}
