import Foundation
import LatchkeyProxy
import LatchkeyTestSupport
import Testing

/// Refusals happen at the proxy: the upstream never sees a request without a good token.
@Suite("Proxy: refusals")
struct ProxyAuthenticationTests {
  static let metadataURL = "https://mcp.example/.well-known/oauth-protected-resource/mcp"

  @Test func noTokenGets401WithChallengeAndUpstreamIsNeverHit() async throws {
    try await ProxyHarness.withStack { _, upstream, proxyURL in
      let http = TestHTTPClient()
      let post = try await http.postJSON(proxyURL, OAuthTestClient.initializeRequest)
      #expect(post.status == 401)
      #expect(
        post.header("WWW-Authenticate")
          == #"Bearer resource_metadata="\#(Self.metadataURL)", scope="notes:read""#)
      for method in ["GET", "DELETE"] {
        let response = try await http.send(method, proxyURL, headers: [:], body: nil)
        #expect(response.status == 401)
        #expect(response.header("WWW-Authenticate")?.hasPrefix("Bearer resource_metadata=") == true)
      }
      #expect(upstream.hits == 0)
    }
  }

  @Test func metadataIsServedWithoutToken() async throws {
    try await ProxyHarness.withStack { issuer, upstream, proxyURL in
      let base = proxyURL.replacingOccurrences(of: "/mcp", with: "")
      let response = try await TestHTTPClient().get(
        base + "/.well-known/oauth-protected-resource/mcp")
      #expect(response.status == 200)
      let json = try response.json()
      #expect(json["resource"] as? String == ProxyHarness.resource)
      #expect(json["authorization_servers"] as? [String] == [issuer.issuerURL])
      #expect(json["scopes_supported"] as? [String] == ["notes:read", "notes:write"])
      #expect(upstream.hits == 0)
    }
  }

  @Test func tokenForAnotherAudienceGets401InvalidToken() async throws {
    try await ProxyHarness.withStack { issuer, upstream, proxyURL in
      let token = try issuer.token(scope: "notes:read", aud: "https://other.example/mcp")
      let response = try await TestHTTPClient().postJSON(
        proxyURL, OAuthTestClient.initializeRequest,
        headers: ["Authorization": "Bearer \(token)"])
      #expect(response.status == 401)
      #expect(
        response.header("WWW-Authenticate")
          == #"Bearer error="invalid_token", resource_metadata="\#(Self.metadataURL)", scope="notes:read""#
      )
      #expect(!response.text.contains(token))
      #expect(upstream.hits == 0)
    }
  }

  @Test func expiredAndTamperedTokensGet401InvalidToken() async throws {
    try await ProxyHarness.withStack { issuer, upstream, proxyURL in
      let expired = try issuer.token(scope: "notes:read", lifetime: -120)
      let good = try issuer.token(scope: "notes:read")
      let tampered = String(good.dropLast(4)) + (good.hasSuffix("AAAA") ? "BBBB" : "AAAA")
      for token in [expired, tampered] {
        let response = try await TestHTTPClient().postJSON(
          proxyURL, OAuthTestClient.initializeRequest,
          headers: ["Authorization": "Bearer \(token)"])
        #expect(response.status == 401)
        #expect(response.header("WWW-Authenticate")?.contains(#"error="invalid_token""#) == true)
      }
      #expect(upstream.hits == 0)
    }
  }

  @Test func tooFewScopesGet403InsufficientScope() async throws {
    try await ProxyHarness.withStack { issuer, upstream, proxyURL in
      let token = try issuer.token(scope: "notes:read")
      let response = try await TestHTTPClient().postJSON(
        proxyURL, ProxyHarness.toolCall("add_note", id: 4),
        headers: ["Authorization": "Bearer \(token)"])
      #expect(response.status == 403)
      #expect(
        response.header("WWW-Authenticate")
          == #"Bearer error="insufficient_scope", scope="notes:read notes:write", resource_metadata="\#(Self.metadataURL)""#
      )
      #expect(try response.json()["id"] as? Int == 4)
      #expect(upstream.hits == 0)
    }
  }

  @Test func toolCallsOverTheLimitGet429AndStayAtTheProxy() async throws {
    let limitOne: @Sendable (inout ProxyConfiguration) -> Void = { $0.toolCallsPerMinute = 1 }
    try await ProxyHarness.withStack(configure: limitOne) { issuer, upstream, proxyURL in
      let token = try issuer.token(scope: "notes:read notes:write")
      let headers = ["Authorization": "Bearer \(token)"]
      let first = try await TestHTTPClient().postJSON(
        proxyURL, ProxyHarness.toolCall("add_note"), headers: headers)
      let second = try await TestHTTPClient().postJSON(
        proxyURL, ProxyHarness.toolCall("add_note"), headers: headers)
      #expect(first.status == 200)
      #expect(second.status == 429)
      #expect(second.header("Retry-After") != nil)
      #expect(upstream.hits == 1)
    }
  }

  @Test func foreignBrowserOriginGets403BeforeTheTokenAndListedOnesPass() async throws {
    let allow: @Sendable (inout ProxyConfiguration) -> Void = {
      $0.allowedOrigins = ["https://app.example"]
    }
    try await ProxyHarness.withStack(configure: allow) { issuer, upstream, proxyURL in
      let token = try issuer.token(scope: "notes:read")
      let foreign = try await TestHTTPClient().postJSON(
        proxyURL, OAuthTestClient.initializeRequest,
        headers: ["Authorization": "Bearer \(token)", "Origin": "https://evil.example"])
      #expect(foreign.status == 403)
      #expect(upstream.hits == 0)
      let listed = try await TestHTTPClient().postJSON(
        proxyURL, OAuthTestClient.initializeRequest,
        headers: ["Authorization": "Bearer \(token)", "Origin": "https://app.example"])
      #expect(listed.status == 200)
      #expect(upstream.hits == 1)
    }
  }
}
