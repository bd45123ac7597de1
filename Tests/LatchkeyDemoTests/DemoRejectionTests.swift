import Foundation
import LatchkeyCommands
import LatchkeyCore
import LatchkeyTestSupport
import Testing

/// What the real middleware in front of the demo's notes server refuses, over real sockets.
@Suite("Demo: refusals, rate limit and audit")
struct DemoRejectionTests {
  @Test func everyMethodWithoutATokenGets401PointingAtTheMetadata() async throws {
    try await DemoHarness.withDemo { runtime, _ in
      let http = TestHTTPClient()
      let metadataURL =
        "http://127.0.0.1:\(runtime.mcpPort)/.well-known/oauth-protected-resource/mcp"
      for method in ["POST", "GET", "DELETE"] {
        let body = method == "POST" ? Data(OAuthTestClient.initializeRequest.utf8) : nil
        let response = try await http.send(
          method, runtime.mcpURL,
          headers: [
            "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
          ], body: body)
        #expect(response.status == 401, "\(method)")
        let challenge = try #require(
          response.header("WWW-Authenticate").flatMap(ChallengeParameters.init))
        #expect(challenge.scheme == "Bearer")
        #expect(challenge["resource_metadata"] == metadataURL, "\(method)")
        #expect(challenge["error"] == nil)
      }
      let prm = try await http.get(metadataURL).json()
      #expect(prm["resource"] as? String == runtime.mcpURL)
      #expect(prm["authorization_servers"] as? [String] == [runtime.issuerURL])
    }
  }

  @Test func aTokenForAnotherRegisteredResourceIsAnInvalidToken() async throws {
    try await DemoHarness.withDemo { runtime, _ in
      let other = "http://127.0.0.1:9/other-mcp"
      try await runtime.store.upsertResource(
        Resource(
          url: other, name: "Another server",
          scopes: [ScopeDefinition(name: "notes:read", description: "Read elsewhere")]))
      let client = OAuthTestClient()
      let discovery = try await client.discover(mcpURL: runtime.mcpURL)
      let clientID = try await client.register(discovery)
      let authorization = try await client.authorize(
        discovery, clientID: clientID, scope: "notes:read", resource: other,
        username: DemoHarness.username, password: DemoHarness.password)
      let tokens = try await client.exchange(
        authorization, discovery: discovery, clientID: clientID)
      let response = try await client.http.postJSON(
        runtime.mcpURL, OAuthTestClient.initializeRequest,
        headers: [
          "Authorization": "Bearer \(tokens.accessToken)",
          "Accept": "application/json, text/event-stream",
        ])
      #expect(response.status == 401)
      let challenge = try #require(
        response.header("WWW-Authenticate").flatMap(ChallengeParameters.init))
      #expect(challenge["error"] == "invalid_token")
    }
  }

  @Test func theThirdToolCallOverALimitOfTwoGets429AndEveryCallIsAudited() async throws {
    try await DemoHarness.withDemo(toolCallsPerMinute: 2) { runtime, _ in
      let signedIn = try await DemoHarness.signIn(runtime, scope: "notes:read notes:write")
      let token = signedIn.tokens.accessToken
      let session = try await DemoHarness.rawSession(runtime, token: token)
      for id in 1...2 {
        let allowed = try await DemoHarness.rawToolCall(
          runtime, token: token, tool: "list_notes", session: session, id: id)
        #expect(allowed.status == 200, "call \(id): \(allowed.text)")
      }
      let limited = try await DemoHarness.rawToolCall(
        runtime, token: token, tool: "list_notes", session: session, id: 3)
      #expect(limited.status == 429)
      let retryAfter = try #require(limited.header("Retry-After").flatMap { Int($0) })
      #expect(retryAfter >= 1)

      var events: [AuditEvent] = []
      for _ in 0..<40 {
        events = try await runtime.store.auditEvents(matching: AuditQuery(type: "mcp.tool_call"))
        if events.count >= 3 { break }
        try await Task.sleep(for: .milliseconds(25))
      }
      #expect(events.count == 3)
      #expect(events.allSatisfy { $0.clientID == signedIn.clientID })
      #expect(events.allSatisfy { $0.resource == runtime.mcpURL })
    }
  }

  /// DNS rebinding: over real sockets through the middleware and the swift-sdk transport, a
  /// foreign `Origin` is refused even with a valid token; the resource's own origin and an
  /// allow-listed one reach the notes server (its `OriginValidator` agrees).
  @Test func aForeignOriginIsRefusedAndAListedOneServed() async throws {
    try await DemoHarness.withDemo(allowedOrigins: ["http://localhost:6274"]) { runtime, _ in
      let signedIn = try await DemoHarness.signIn(runtime, scope: "notes:read")
      let own = "http://127.0.0.1:\(runtime.mcpPort)"
      for (origin, status) in [
        ("http://evil.example:\(runtime.mcpPort)", 403), ("http://localhost:6274", 200),
        (own, 200), ("null", 403),
      ] {
        let response = try await signedIn.client.http.postJSON(
          runtime.mcpURL, OAuthTestClient.initializeRequest,
          headers: [
            "Authorization": "Bearer \(signedIn.tokens.accessToken)",
            "Accept": "application/json, text/event-stream", "Origin": origin,
          ])
        #expect(response.status == status, "\(origin)")
        if status == 403 {
          #expect(
            String(decoding: response.body, as: UTF8.self)
              == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Forbidden: Origin not allowed"}}"#
          )
        }
      }
    }
  }
}
