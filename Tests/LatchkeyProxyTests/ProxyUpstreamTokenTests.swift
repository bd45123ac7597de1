import Foundation
import HTTPTypes
import LatchkeyMCP
import LatchkeyProxy
import LatchkeyTestSupport
import Synchronization
import Testing

/// A token vault stand-in: answers with `outcome` and records who asked.
final class RecordingUpstreamTokenSource: UpstreamTokenSource {
  let outcome: Result<UpstreamAccessToken, UpstreamTokenUnavailable>
  let asked = Mutex<[(bearer: String, subject: String)]>([])

  init(_ outcome: Result<UpstreamAccessToken, UpstreamTokenUnavailable>) {
    self.outcome = outcome
  }

  func upstreamToken(bearer: String, identity: VerifiedIdentity)
    async throws(UpstreamTokenUnavailable) -> UpstreamAccessToken
  {
    asked.withLock { $0.append((bearer, identity.subject)) }
    return try outcome.get()
  }
}

/// `latchkey proxy` with `upstream_token`: the user's identity-provider token reaches the
/// upstream MCP server in `X-Latchkey-Upstream-Token`; a client can never set it.
@Suite("Proxy: the upstream token")
struct ProxyUpstreamTokenTests {
  static let headers = [
    "Accept": "application/json, text/event-stream",
    "X-Latchkey-Upstream-Token": "forged-by-client", "X-Latchkey-Upstream-Provider": "forged",
  ]

  @Test func theVaultsTokenReachesTheUpstreamAndAClientSentOneNever() async throws {
    let source = RecordingUpstreamTokenSource(
      .success(UpstreamAccessToken(provider: "github", accessToken: "gho_from_the_vault")))
    try await ProxyHarness.withStack(upstreamTokens: source) { issuer, upstream, proxyURL in
      let token = try issuer.token(sub: "alice", scope: "notes:read notes:write")
      var headers = Self.headers
      headers["Authorization"] = "Bearer \(token)"
      let response = try await TestHTTPClient().postJSON(
        proxyURL, ProxyHarness.toolCall("list_notes"), headers: headers)
      #expect(response.status == 200)
      let seen = try #require(upstream.lastHeaders)
      #expect(seen[values: HTTPField.Name("X-Latchkey-Upstream-Token")!] == ["gho_from_the_vault"])
      #expect(seen[values: HTTPField.Name("X-Latchkey-Upstream-Provider")!] == ["github"])
      #expect(seen[values: HTTPField.Name("X-Latchkey-Upstream-Token-Unavailable")!].isEmpty)
      #expect(seen[values: .authorization].isEmpty)
      let asked = source.asked.withLock { $0 }
      #expect(asked.count == 1 && asked[0].bearer == token && asked[0].subject == "alice")
    }
  }

  @Test(arguments: [
    (UpstreamTokenUnavailable.noUpstreamToken, "no_upstream_token"),
    (.inactiveToken, "no_upstream_token"), (.refreshFailed, "refresh_failed"),
    (.unreadable, "unreadable"), (.authorizationServerUnavailable, "unavailable"),
  ])
  func withoutAnUpstreamTokenTheUpstreamIsToldWhy(
    _ reason: UpstreamTokenUnavailable, _ expected: String
  ) async throws {
    let source = RecordingUpstreamTokenSource(.failure(reason))
    try await ProxyHarness.withStack(upstreamTokens: source) { issuer, upstream, proxyURL in
      var headers = Self.headers
      headers["Authorization"] = "Bearer \(try issuer.token(scope: "notes:read notes:write"))"
      let response = try await TestHTTPClient().postJSON(
        proxyURL, ProxyHarness.toolCall("list_notes"), headers: headers)
      #expect(response.status == 200)
      let seen = try #require(upstream.lastHeaders)
      #expect(seen[values: HTTPField.Name("X-Latchkey-Upstream-Token")!].isEmpty)
      #expect(seen[values: HTTPField.Name("X-Latchkey-Upstream-Token-Unavailable")!] == [expected])
    }
  }

  @Test func withoutTheSettingNoUpstreamTokenFieldCrosses() async throws {
    try await ProxyHarness.withStack { issuer, upstream, proxyURL in
      var headers = Self.headers
      headers["Authorization"] = "Bearer \(try issuer.token(scope: "notes:read notes:write"))"
      _ = try await TestHTTPClient().postJSON(
        proxyURL, ProxyHarness.toolCall("list_notes"), headers: headers)
      let seen = try #require(upstream.lastHeaders)
      for name in [
        "X-Latchkey-Upstream-Token", "X-Latchkey-Upstream-Provider",
        "X-Latchkey-Upstream-Token-Unavailable",
      ] {
        #expect(seen[values: HTTPField.Name(name)!].isEmpty)
      }
    }
  }

  @Test func theSettingIsReadFromTheFileAndTheFlag() throws {
    let json =
      #"{"upstream":"http://127.0.0.1:9/mcp","resource":"https://mcp.example/mcp","issuer":"https://auth.example","upstream_token":{"client_id":"proxy-reader"}}"#
    let configuration = try JSONDecoder().decode(ProxyConfiguration.self, from: Data(json.utf8))
    #expect(configuration.upstreamToken == .init(clientID: "proxy-reader"))
    #expect(
      configuration.upstreamToken?.endpointURL(issuer: configuration.issuer)?.absoluteString
        == "https://auth.example/upstream-token")
    var empty = configuration
    empty.upstreamToken = .init(clientID: "")
    #expect(empty.problem() == "upstream_token.client_id must not be empty")
  }
}
