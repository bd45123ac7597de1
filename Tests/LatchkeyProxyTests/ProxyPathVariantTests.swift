import Foundation
import LatchkeyTestSupport
import Testing

/// Security review (issue 21) §1 through `latchkey proxy`: no spelling of the endpoint path
/// reaches the upstream without a token, and a routed spelling with a token does.
@Suite("Proxy: path variants")
struct ProxyPathVariantTests {
  @Test func noVariantReachesTheUpstreamWithoutToken() async throws {
    try await ProxyHarness.withStack { issuer, upstream, proxyURL in
      let port = try #require(URL(string: proxyURL)?.port)
      let headers = [
        ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
      ]
      for target in PathVariants.ofMCP {
        for method in ["POST", "GET", "DELETE", "OPTIONS"] {
          let answer = try await RawHTTPExchange.send(
            port: port, method: method, target: target, headers: headers,
            body: method == "POST" ? ProxyHarness.toolCall("add_note") : "")
          #expect(
            [401, 403, 404, 405].contains(answer.status), "\(method) \(target) → \(answer.status)")
          if PathVariants.routedByHummingbird.contains(target), method != "OPTIONS" {
            #expect(answer.status == 401, "\(method) \(target)")
          }
        }
      }
      #expect(upstream.hits == 0)
      let token = try issuer.token(scope: "notes:read notes:write", aud: ProxyHarness.resource)
      let answer = try await RawHTTPExchange.send(
        port: port, method: "POST", target: "/mcp/",
        headers: headers + [("Authorization", "Bearer \(token)")],
        body: ProxyHarness.toolCall("add_note"))
      #expect(answer.status == 200)
      #expect(upstream.hits == 1)
    }
  }
}

/// Security review (issue 21) §5 through the proxy: a 100 KB `Authorization` header gets `431`
/// with a JSON body; the upstream is never hit.
@Suite("Proxy: oversize headers")
struct ProxyOversizeHeaderTests {
  @Test func aHugeAuthorizationHeaderGets431() async throws {
    try await ProxyHarness.withStack { _, upstream, proxyURL in
      let answer = try await RawHTTPExchange.send(
        port: try #require(URL(string: proxyURL)?.port), method: "POST", target: "/mcp",
        headers: [
          ("Content-Type", "application/json"),
          ("Authorization", "Bearer " + String(repeating: "a", count: 100_000)),
        ],
        body: ProxyHarness.toolCall("add_note"))
      #expect(answer.status == 431)
      #expect(answer.body.contains(#""error":"invalid_request""#))
      #expect(upstream.hits == 0)
    }
  }
}
