import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyMCP
import Testing

@Suite struct AuthorizationTests {
  static let metadata = "https://mcp.example/.well-known/oauth-protected-resource/mcp"

  @Test func missingToolScopeGets403WithNeededUnionHeld() async throws {
    let harness = try MiddlewareHarness()
    let token = try harness.issuer.token(scope: "notes:read")
    try await harness.test { client in
      let response = try await client.send(
        authorization: "Bearer \(token)", body: MiddlewareHarness.toolCall("delete_note", id: 7))
      #expect(response.status == .forbidden)
      #expect(
        response.headers[.wwwAuthenticate]
          == #"Bearer error="insufficient_scope", scope="notes:admin notes:read notes:write", resource_metadata="\#(Self.metadata)""#
      )
      #expect(String(buffer: response.body).contains(#""id":7"#))
      let allowed = try await client.send(
        authorization: "Bearer \(token)", body: MiddlewareHarness.toolCall("list_notes"))
      #expect(allowed.status == .ok)
    }
    #expect(harness.runs.count == 1)
    let decisions = harness.audit.all.map {
      "\($0.tool ?? "-"):\($0.decision.rawValue):\($0.outcome)"
    }
    #expect(decisions == ["delete_note:denied:http_403", "list_notes:allowed:http_200"])
    #expect(harness.audit.all[0].subject == "alice")
    #expect(harness.audit.all[0].clientID == "client-1")
    #expect(harness.audit.all[1].latency != nil)
    #expect(harness.audit.all[1].auditEvent.type == "mcp.tool_call")
    #expect(harness.audit.all[1].auditEvent.outcome == .success)
  }

  @Test func baseScopeNeededForGetAndDelete() async throws {
    let harness = try MiddlewareHarness()
    let token = try harness.issuer.token(scope: "other")
    try await harness.test { client in
      for method in [HTTPRequest.Method.get, .delete, .post] {
        let response = try await client.send(
          method, authorization: "Bearer \(token)", body: MiddlewareHarness.initialize)
        #expect(response.status == .forbidden)
        #expect(
          response.headers[.wwwAuthenticate]
            == #"Bearer error="insufficient_scope", scope="notes:read other", resource_metadata="\#(Self.metadata)""#
        )
      }
    }
    #expect(harness.runs.count == 0)
  }

  @Test func batchWithOneForbiddenCallIsDeniedWhole() async throws {
    let harness = try MiddlewareHarness()
    let token = try harness.issuer.token(scope: "notes:read")
    let batch =
      "[\(MiddlewareHarness.toolCall("list_notes", id: 1)),\(MiddlewareHarness.toolCall("add_note", id: 2))]"
    try await harness.test { client in
      let response = try await client.send(authorization: "Bearer \(token)", body: batch)
      #expect(response.status == .forbidden)
      #expect(String(buffer: response.body).contains(#""id":null"#))
    }
    #expect(harness.runs.count == 0)
  }

  @Test func malformedJSONGets400ParseErrorAndInvalidRequest400() async throws {
    let harness = try MiddlewareHarness()
    let token = try harness.issuer.token()
    try await harness.test { client in
      let broken = try await client.send(authorization: "Bearer \(token)", body: #"{"jsonrpc":"#)
      #expect(broken.status == .badRequest)
      #expect(String(buffer: broken.body).contains("-32700"))
      let empty = try await client.send(authorization: "Bearer \(token)", body: "[]")
      #expect(empty.status == .badRequest)
      #expect(String(buffer: empty.body).contains("-32600"))
    }
    #expect(harness.runs.count == 0)
  }

  @Test func oversizeBodyGets413() async throws {
    let harness = try MiddlewareHarness(maximumBodyBytes: 1024)
    let token = try harness.issuer.token()
    let padding = String(repeating: "x", count: 2048)
    try await harness.test { client in
      let response = try await client.send(
        authorization: "Bearer \(token)",
        body: #"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"p":"\#(padding)"}}"#)
      #expect(response.status == .contentTooLarge)
    }
    #expect(harness.runs.count == 0)
  }

  @Test func rateLimitGives429WithRetryAfterAndPerToolOverride() async throws {
    let harness = try MiddlewareHarness(
      toolCallLimit: .perMinute(3), toolCallLimits: ["add_note": .perMinute(1)])
    let token = try harness.issuer.token()
    try await harness.test { client in
      for _ in 0..<3 {
        let ok = try await client.send(
          authorization: "Bearer \(token)", body: MiddlewareHarness.toolCall("list_notes"))
        #expect(ok.status == .ok)
      }
      let limited = try await client.send(
        authorization: "Bearer \(token)", body: MiddlewareHarness.toolCall("list_notes", id: 4))
      #expect(limited.status == .tooManyRequests)
      #expect(limited.headers[.retryAfter] == "20")
      let text = String(buffer: limited.body)
      #expect(text.contains("Rate limit exceeded") && text.contains(#""id":4"#))
      // add_note has its own bucket of 1/min.
      let add = try await client.send(
        authorization: "Bearer \(token)", body: MiddlewareHarness.toolCall("add_note"))
      #expect(add.status == .ok)
      let addAgain = try await client.send(
        authorization: "Bearer \(token)", body: MiddlewareHarness.toolCall("add_note"))
      #expect(addAgain.status == .tooManyRequests)
      #expect(addAgain.headers[.retryAfter] == "60")
      // Non-tool requests are not limited.
      let list = try await client.send(
        authorization: "Bearer \(token)",
        body: #"{"jsonrpc":"2.0","id":9,"method":"tools/list"}"#)
      #expect(list.status == .ok)
      // Another subject has its own bucket.
      let bob = try harness.issuer.token(sub: "bob")
      let other = try await client.send(
        authorization: "Bearer \(bob)", body: MiddlewareHarness.toolCall("list_notes"))
      #expect(other.status == .ok)
      harness.clock.advance(by: 20)
      let later = try await client.send(
        authorization: "Bearer \(token)", body: MiddlewareHarness.toolCall("list_notes"))
      #expect(later.status == .ok)
    }
    #expect(harness.runs.count == 3 + 1 + 1 + 1 + 1)
    #expect(harness.audit.all.filter { $0.decision == .limited }.count == 2)
  }

  @Test func secondUseOfTokenSkipsSignatureVerification() async throws {
    let harness = try MiddlewareHarness()
    let token = try harness.issuer.token()
    try await harness.test { client in
      for _ in 0..<3 {
        let response = try await client.send(
          authorization: "Bearer \(token)", body: MiddlewareHarness.initialize)
        #expect(response.status == .ok)
      }
    }
    let statistics = harness.verifier.statistics
    #expect(statistics.signatureVerifications == 1)
    #expect(statistics.cacheHits == 2)
  }

  @Test func cachedTokenDiesAtExpiry() async throws {
    let harness = try MiddlewareHarness()
    let token = try harness.issuer.token(lifetime: 60)
    _ = try await harness.verifier.verify(token)
    harness.clock.advance(by: 61)
    // Past exp the cache entry is gone; within leeway the full check still passes once.
    _ = try await harness.verifier.verify(token)
    #expect(harness.verifier.statistics.signatureVerifications == 2)
    harness.clock.advance(by: 60)
    #expect(await harness.verifierResult(token) == .expired)
  }

  @Test func benchmarkEntryPointDecidesWithoutHummingbird() async throws {
    let harness = try MiddlewareHarness()
    let token = try harness.issuer.token(scope: "notes:read")
    let decision = await harness.authorizer.authorize(
      method: .post, headerFields: [.authorization: "Bearer \(token)"],
      body: Array(MiddlewareHarness.toolCall("list_notes").utf8))
    guard case .allowed(let identity, let calls) = decision else {
      Issue.record("expected allowed, got \(decision)")
      return
    }
    #expect(identity.subject == "alice")
    #expect(calls.map(\.toolName) == ["list_notes"])
  }
}
