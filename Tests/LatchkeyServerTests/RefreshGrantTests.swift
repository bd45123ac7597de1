import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import LatchkeyTestSupport
import MetricsTestKit
import Testing

@testable import LatchkeyServer

@Suite("Token endpoint: refresh_token rotation (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2)")
struct RefreshGrantTests {
  /// Redeems a seeded code with `notes:read notes:write` and returns the first refresh token.
  static func firstRefreshToken(_ h: EndpointHarness, _ client: any TestClientProtocol) async throws
    -> String
  {
    let (code, _) = try await h.seedCode(scopes: ScopeSet(["notes:read", "notes:write"]))
    let response = try await client.postForm("/token", Wire.tokenRequest(code: code))
    return try #require(try Wire.json(response)["refresh_token"] as? String)
  }

  static func refresh(_ token: String, _ extra: [(String, String)] = []) -> [(String, String)] {
    [("grant_type", "refresh_token"), ("refresh_token", token), ("client_id", "public-client")]
      + extra
  }

  static func seeded() async throws -> EndpointHarness {
    let h = EndpointHarness()
    try await h.seedUser()
    try await h.seedPublicClient()
    return h
  }

  @Test func everyUseRotatesAndAGraceRetryGetsTheSameSuccessor() async throws {
    let h = try await Self.seeded()
    try await h.test { client in
      let first = try await Self.firstRefreshToken(h, client)
      let rotated = try await client.postForm("/token", Self.refresh(first))
      #expect(rotated.status == .ok)
      #expect(rotated.headers[.cacheControl] == "no-store")
      let second = try #require(try Wire.json(rotated)["refresh_token"] as? String)
      #expect(second != first)

      h.clock.advance(by: 10)
      let retry = try await client.postForm("/token", Self.refresh(first))
      #expect(retry.status == .ok)
      #expect(try Wire.json(retry)["refresh_token"] as? String == second)
      #expect(try Wire.json(retry)["access_token"] != nil)

      let next = try await client.postForm("/token", Self.refresh(second))
      #expect(next.status == .ok)
    }
    #expect(try await h.store.auditEvents(matching: AuditQuery(type: "token.refreshed")).count == 3)
  }

  @Test func reuseOutsideTheGraceWindowRevokesTheFamily() async throws {
    let h = try await Self.seeded()
    try await h.test { client in
      let first = try await Self.firstRefreshToken(h, client)
      let rotated = try await client.postForm("/token", Self.refresh(first))
      let second = try #require(try Wire.json(rotated)["refresh_token"] as? String)
      h.clock.advance(by: 31)
      let reuse = try await client.postForm("/token", Self.refresh(first))
      #expect(reuse.status == .badRequest)
      #expect(try Wire.errorCode(reuse) == "invalid_grant")
      let successor = try await client.postForm("/token", Self.refresh(second))
      #expect(try Wire.errorCode(successor) == "invalid_grant")
    }
    let alarms = try await h.store.auditEvents(matching: AuditQuery(type: "refresh.reuse_detected"))
    #expect(alarms.count == 1 && alarms[0].outcome == .failure)
    #expect(
      try h.metrics.expectCounter("latchkey_refresh_token_reuse_detected_total").totalValue == 1)
    #expect(
      try h.metrics.expectCounter("latchkey_tokens_issued_total", [("grant_type", "refresh_token")])
        .totalValue == 1)
    #expect(try await h.allGrants().allSatisfy { $0.revokedAt != nil })
  }

  @Test func scopeMayBeNarrowedButNeverWidened() async throws {
    let h = try await Self.seeded()
    try await h.test { client in
      let first = try await Self.firstRefreshToken(h, client)
      let widened = try await client.postForm(
        "/token", Self.refresh(first, [("scope", "notes:read notes:admin")]))
      #expect(try Wire.errorCode(widened) == "invalid_scope")
      // The refused request changed nothing: the token still rotates.
      let narrowed = try await client.postForm(
        "/token", Self.refresh(first, [("scope", "notes:read")]))
      #expect(narrowed.status == .ok)
      #expect(try Wire.json(narrowed)["scope"] as? String == "notes:read")
      let second = try #require(try Wire.json(narrowed)["refresh_token"] as? String)
      // The family keeps its full scope: a later refresh may ask for write again.
      let full = try await client.postForm("/token", Self.refresh(second))
      #expect(try Wire.json(full)["scope"] as? String == "notes:read notes:write")
    }
  }

  @Test func aRefreshTokenOfAnotherClientOrResourceIsRefused() async throws {
    let h = try await Self.seeded()
    try await h.seedPublicClient("other-client")
    try await h.test { client in
      let first = try await Self.firstRefreshToken(h, client)
      let other = try await client.postForm(
        "/token",
        [("grant_type", "refresh_token"), ("refresh_token", first), ("client_id", "other-client")])
      #expect(try Wire.errorCode(other) == "invalid_grant")
      let wrongResource = try await client.postForm(
        "/token", Self.refresh(first, [("resource", "https://other.example/mcp")]))
      #expect(try Wire.errorCode(wrongResource) == "invalid_target")
      let ok = try await client.postForm(
        "/token", Self.refresh(first, [("resource", EndpointHarness.resource)]))
      #expect(ok.status == .ok)
    }
  }

  @Test func anUnknownOrMissingRefreshTokenIsRefused() async throws {
    let h = try await Self.seeded()
    try await h.test { client in
      let unknown = try await client.postForm("/token", Self.refresh("not-a-token"))
      #expect(try Wire.errorCode(unknown) == "invalid_grant")
      let missing = try await client.postForm(
        "/token", [("grant_type", "refresh_token"), ("client_id", "public-client")])
      #expect(try Wire.errorCode(missing) == "invalid_request")
    }
  }
}
