import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyMCP
import Testing

/// DNS-rebinding protection (MCP 2025-11-25 transports "Security Warning"): a present and
/// invalid `Origin` is answered 403 before the token is even looked at; the handler never runs.
@Suite struct OriginTests {
  static let refusedBody =
    #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Forbidden: Origin not allowed"}}"#

  @Test(arguments: [
    ([String](), [String](), OriginDecision.allowed),
    (["https://mcp.example"], [], .allowed),
    (["HTTPS://MCP.Example:443"], [], .allowed),
    ([" https://mcp.example "], [], .allowed),
    (["http://localhost:6274"], ["http://localhost:6274"], .allowed),
    (["http://localhost:6274"], ["HTTP://LOCALHOST:6274"], .allowed),
    (["https://app.example"], ["https://app.example:443"], .allowed),
    (["null"], ["null"], .allowed),
    (["http://[::1]:3000"], ["http://[::1]:3000"], .allowed),
    (["https://evil.example"], [], .refused(reason: "Origin not allowed")),
    (["http://mcp.example"], [], .refused(reason: "Origin not allowed")),
    (["https://mcp.example:8443"], [], .refused(reason: "Origin not allowed")),
    (["https://mcp.example.evil.example"], [], .refused(reason: "Origin not allowed")),
    (["http://localhost:6275"], ["http://localhost:6274"], .refused(reason: "Origin not allowed")),
    (["http://127.0.0.1:8081"], [], .refused(reason: "Origin not allowed")),
    (["null"], [], .refused(reason: "opaque origin (null)")),
    (
      ["https://mcp.example", "https://mcp.example"], [],
      .refused(reason: "more than one Origin field")
    ),
    (["https://mcp.example/mcp"], [], .refused(reason: "Origin is not a serialized origin")),
    (["https://user@mcp.example"], [], .refused(reason: "Origin is not a serialized origin")),
    (["https://mcp.example:99999"], [], .refused(reason: "Origin is not a serialized origin")),
    (["https://mcp.example:"], [], .refused(reason: "Origin is not a serialized origin")),
    (["file://"], [], .refused(reason: "Origin is not a serialized origin")),
    (["mcp.example"], [], .refused(reason: "Origin is not a serialized origin")),
    ([""], [], .refused(reason: "Origin is not a serialized origin")),
    (["https://mcp.éxample"], [], .refused(reason: "Origin is not a serialized origin")),
  ])
  func rule(values: [String], allowed: [String], expected: OriginDecision) {
    let decision = OriginRule.decide(
      values, resourceOrigin: "https://mcp.example", allowedOrigins: allowed)
    #expect(decision == expected)
  }

  @Test func aForeignOriginGets403BeforeTheTokenIsCheckedOnEveryMethod() async throws {
    let harness = try MiddlewareHarness()
    let token = try harness.issuer.token()
    try await harness.test { client in
      for method in [HTTPRequest.Method.post, .get, .delete, .options] {
        for authorization in ["Bearer \(token)", nil] {
          let response = try await client.send(
            method, authorization: authorization, origins: ["https://evil.example"],
            body: MiddlewareHarness.toolCall("list_notes"))
          #expect(response.status == .forbidden)
          #expect(String(buffer: response.body) == Self.refusedBody)
          #expect(response.headers[.contentType] == "application/json")
          #expect(response.headers[.cacheControl] == "no-store")
          #expect(response.headers[.wwwAuthenticate] == nil)
        }
      }
    }
    #expect(harness.runs.count == 0)
    #expect(harness.audit.all.isEmpty)
    #expect(harness.verifier.statistics.signatureVerifications == 0)
  }

  @Test func noOriginSameOriginAndListedOriginsReachTheHandler() async throws {
    let harness = try MiddlewareHarness(allowedOrigins: ["http://localhost:6274"])
    let token = try harness.issuer.token()
    try await harness.test { client in
      for origins in [[], ["https://mcp.example"], ["http://localhost:6274"]] {
        let response = try await client.send(
          authorization: "Bearer \(token)", origins: origins,
          body: MiddlewareHarness.toolCall("list_notes"))
        #expect(response.status == .ok)
        #expect(String(buffer: response.body) == "ok alice")
      }
      let other = try await client.send(
        authorization: "Bearer \(token)", origins: ["http://localhost:6275"],
        body: MiddlewareHarness.toolCall("list_notes"))
      #expect(other.status == .forbidden)
      #expect(String(buffer: other.body) == Self.refusedBody)
      let twice = try await client.send(
        authorization: "Bearer \(token)", origins: ["https://mcp.example", "https://mcp.example"],
        body: MiddlewareHarness.toolCall("list_notes"))
      #expect(twice.status == .forbidden)
    }
    #expect(harness.runs.count == 3)
  }

  @Test func metadataAndOtherPathsAreNotJudged() async throws {
    let harness = try MiddlewareHarness()
    try await harness.test { client in
      let metadata = try await client.send(
        .get, "/.well-known/oauth-protected-resource/mcp", origins: ["https://evil.example"])
      #expect(metadata.status == .ok)
      let health = try await client.send(.get, "/health", origins: ["https://evil.example"])
      #expect(health.status == .ok)
    }
  }

  @Test func theWholeDecisionRefusesBeforeAuthentication() async throws {
    let harness = try MiddlewareHarness()
    var fields: HTTPFields = [.origin: "https://evil.example"]
    fields[.authorization] = "Bearer not-a-token"
    let decision = await harness.authorizer.authorize(
      method: .post, headerFields: fields, body: Array(MiddlewareHarness.initialize.utf8))
    guard case .rejected(let rejection) = decision else {
      Issue.record("expected a rejection")
      return
    }
    #expect(rejection.status == .forbidden)
    #expect(rejection.body == Self.refusedBody)
  }

  @Test func anInvalidAllowListedOriginIsAConfigurationError() {
    #expect(throws: ProtectedResourceConfiguration.ConfigurationError.invalidOrigin("evil.example"))
    {
      _ = try ProtectedResourceConfiguration(
        resource: TestIssuer.resource, issuer: TestIssuer.issuer,
        scopePolicy: MiddlewareHarness.policy, allowedOrigins: ["evil.example"])
    }
  }
}

/// Every answer the middleware gives instead of the handler is JSON, `nosniff` and `no-store`;
/// the public metadata document is `nosniff` and cacheable.
@Suite struct MiddlewareHeaderTests {
  @Test func everyRejectionAndTheMetadataCarryTheHeaders() async throws {
    let harness = try MiddlewareHarness(
      toolCallLimit: .perMinute(1), maximumBodyBytes: 256)
    let token = try harness.issuer.token(scope: "notes:read")
    let nosniff = HTTPField.Name("X-Content-Type-Options")!
    try await harness.test { client in
      let bearer = "Bearer \(token)"
      let cases: [(String, TestResponse)] = [
        ("401", try await client.send(body: MiddlewareHarness.initialize)),
        ("400 header", try await client.send(authorization: "Bearer a b")),
        ("400 json", try await client.send(authorization: bearer, body: "{")),
        (
          "403 scope",
          try await client.send(authorization: bearer, body: MiddlewareHarness.toolCall("add_note"))
        ),
        ("403 origin", try await client.send(origins: ["https://evil.example"])),
        (
          "413",
          try await client.send(authorization: bearer, body: String(repeating: " ", count: 512))
        ),
        (
          "200",
          try await client.send(
            authorization: bearer, body: MiddlewareHarness.toolCall("list_notes"))
        ),
        (
          "429",
          try await client.send(
            authorization: bearer, body: MiddlewareHarness.toolCall("list_notes"))
        ),
      ]
      for (name, response) in cases where name != "200" {
        #expect(response.status.code == Int(name.prefix(3)), "\(name)")
        #expect(response.headers[nosniff] == "nosniff", "\(name)")
        #expect(response.headers[.cacheControl] == "no-store", "\(name)")
        #expect(response.headers[.contentType] == "application/json", "\(name)")
      }
      let metadata = try await client.send(.get, "/.well-known/oauth-protected-resource/mcp")
      #expect(metadata.headers[nosniff] == "nosniff")
      #expect(metadata.headers[.cacheControl] == "public, max-age=3600")
    }
  }
}
