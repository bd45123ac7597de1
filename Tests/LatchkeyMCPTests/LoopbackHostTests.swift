import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import LatchkeyMCP
import NIOCore
import Testing

/// DNS rebinding against a resource on the loopback interface: a foreign `Host` is refused with
/// 403 before the token is looked at (MCP conformance `dns-rebinding-protection`).
@Suite struct LoopbackHostTests {
  @Test(arguments: [
    ("localhost:8081", true), ("LOCALHOST", true), ("127.0.0.1:8081", true),
    ("127.1.2.3", true), ("[::1]:8081", true), ("[::1]", true),
    ("evil.example:8081", false), ("localhost.evil.example", false), ("127.0.0.1.nip.io", false),
    ("128.0.0.1", false), ("127.0.0.256", false), ("[::2]:8081", false), ("", false),
    ("user@localhost", false), ("localhost:80:80", false), ("[::1", false),
    ("LocalHost:1", true), ("127.0.0.01", true), ("127.0.0.1 ", false), ("127.0.0.1/x", false),
    ("127.0.0.1?", false), ("127.0.0.1#", false), ("127.0.0.", false), ("127..0.1", false),
    ("127.0.0.-1", false), ("127.0.0.1000", false), ("[::1]x", false), ("0127.0.0.1", false),
  ])
  func ruleForALoopbackResource(authority: String, admitted: Bool) {
    #expect(LoopbackHostRule.admits(authority: authority, resourceHost: "127.0.0.1") == admitted)
    #expect(LoopbackHostRule.admits(authority: authority, resourceHost: "localhost") == admitted)
  }

  @Test func theConfigurationDecidesOnceWhetherItsResourceIsOnLoopback() throws {
    for (resource, loopback) in [
      ("http://LOCALHOST:8081/mcp", true), ("http://127.0.0.1/mcp", true),
      ("http://[::1]:9/mcp", true), ("https://mcp.example/mcp", false),
      ("https://127.0.0.1.nip.io/mcp", false),
    ] {
      let configuration = try ProtectedResourceConfiguration(
        resource: resource, issuer: "https://as.example",
        scopePolicy: ScopePolicy(baseScopes: ScopeSet(["notes:read"])))
      #expect(configuration.resourceHostIsLoopback == loopback, "\(resource)")
      #expect(
        LoopbackHostRule.admits(authority: "evil.example", resourceIsLoopback: loopback)
          == !loopback)
    }
  }

  @Test func anyHostReachesAPublicResourceAndNoHostNoLoopbackOne() {
    #expect(LoopbackHostRule.admits(authority: "evil.example", resourceHost: "mcp.example"))
    #expect(LoopbackHostRule.admits(authority: nil, resourceHost: "mcp.example"))
    #expect(!LoopbackHostRule.admits(authority: nil, resourceHost: "[::1]"))
  }

  @Test func aRebindingHostGets403OverARealSocketAndTheHandlerNeverRuns() async throws {
    let harness = try MiddlewareHarness(resource: "http://127.0.0.1:8081/mcp")
    let token = try harness.issuer.token()
    try await harness.application().test(.live) { client in
      let port = try #require(client.port)
      try await TestClient.withClient(host: "127.0.0.1", port: port) { raw in
        for method in [HTTPRequest.Method.post, .get, .delete] {
          let refused = try await raw.execute(
            TestClient.Request(
              "/mcp", method: method, authority: "evil.example:\(port)",
              headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
              body: ByteBuffer(string: MiddlewareHarness.toolCall("list_notes"))))
          #expect(refused.status == .forbidden)
          #expect(
            refused.body.map { String(buffer: $0) }
              == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Forbidden: Host not allowed"}}"#
          )
        }
        let local = try await raw.execute(
          TestClient.Request(
            "/mcp", method: .post, authority: "localhost:\(port)",
            headers: [.contentType: "application/json"],
            body: ByteBuffer(string: MiddlewareHarness.toolCall("list_notes"))))
        #expect(local.status == .unauthorized)
      }
    }
    #expect(harness.runs.count == 0)
  }
}
