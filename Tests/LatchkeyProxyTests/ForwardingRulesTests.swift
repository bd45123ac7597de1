import Foundation
import HTTPTypes
import LatchkeyCore
import LatchkeyMCP
import LatchkeyProxy
import Testing

@Suite("Proxy: forwarding rules")
struct ForwardingRulesTests {
  static let identity = VerifiedIdentity(
    subject: "alice", clientID: "c1", scopes: ScopeSet(["a", "b"]), audience: ["r"],
    tokenID: "t1", issuer: "https://as.example", expiresAt: Date(timeIntervalSince1970: 0))

  static func name(_ text: String) -> HTTPField.Name { HTTPField.Name(text)! }

  @Test func hopByHopAndConnectionNamedFieldsAreNotForwarded() {
    let incoming: HTTPFields = [
      .connection: "keep-alive, X-Private", Self.name("Keep-Alive"): "timeout=5",
      Self.name("X-Private"): "1", Self.name("TE"): "trailers", .transferEncoding: "chunked",
      Self.name("Upgrade"): "h2c", Self.name("Proxy-Authorization"): "Basic x",
      .authorization: "Bearer secret", .contentLength: "3", Self.name("Expect"): "100-continue",
      .accept: "application/json", Self.name("Mcp-Session-Id"): "s",
    ]
    let out = ForwardingRules.upstreamRequestFields(
      incoming, identity: Self.identity, upstreamAuthority: "127.0.0.1:9000",
      publicHost: "mcp.example", publicScheme: "https", clientAddress: nil)
    let names = Set(out.map { $0.name.canonicalName })
    for dropped in [
      "connection", "keep-alive", "x-private", "te", "transfer-encoding", "upgrade",
      "proxy-authorization", "authorization", "content-length", "expect", "x-forwarded-for",
    ] {
      #expect(!names.contains(dropped), "\(dropped)")
    }
    #expect(out[.accept] == "application/json")
    #expect(out[Self.name("Mcp-Session-Id")] == "s")
    #expect(out[Self.name("Host")] == "127.0.0.1:9000")
    #expect(out[Self.name("X-Latchkey-Scopes")] == "a b")
  }

  @Test func responseFieldsLoseHopByHopLengthAndDate() {
    let upstream: HTTPFields = [
      .connection: "close, X-Hop", Self.name("X-Hop"): "1", .transferEncoding: "chunked",
      .contentLength: "10", Self.name("Date"): "x", .contentType: "text/event-stream",
      Self.name("Mcp-Session-Id"): "s", Self.name("Keep-Alive"): "timeout=5",
    ]
    let out = ForwardingRules.downstreamResponseFields(upstream)
    #expect(out.map { $0.name.canonicalName }.sorted() == ["content-type", "mcp-session-id"])
  }

  @Test func identityValuesCannotInjectFields() {
    var identity = Self.identity
    identity.subject = "eve\r\nX-Latchkey-Scopes: admin"
    identity.clientID = "ünï"
    let fields = Dictionary(uniqueKeysWithValues: ForwardingRules.identityFields(identity))
    #expect(fields["X-Latchkey-Subject"] == "eve%0D%0AX-Latchkey-Scopes: admin")
    #expect(fields["X-Latchkey-Client-Id"] == "%C3%BCn%C3%AF")
    #expect(fields["X-Latchkey-Token-Id"] == "t1")
    #expect(fields["X-Latchkey-Issuer"] == "https://as.example")
  }

  @Test(arguments: [
    ("http://127.0.0.1:9000/mcp", "127.0.0.1", 9000, "/mcp", "127.0.0.1:9000"),
    ("http://upstream/", "upstream", 80, "/", "upstream"),
    ("http://[::1]:7000/a/b", "::1", 7000, "/a/b", "[::1]:7000"),
  ])
  func upstreamTargets(url: String, host: String, port: Int, path: String, authority: String)
    throws
  {
    let target = try #require(UpstreamTarget(url))
    #expect(target.host == host && target.port == port)
    #expect(target.path == path && target.authority == authority)
  }

  @Test(arguments: [
    "https://127.0.0.1/mcp", "http://127.0.0.1/mcp?q=1", "http://u:p@127.0.0.1/mcp", "/mcp",
  ])
  func refusedUpstreamTargets(url: String) {
    #expect(UpstreamTarget(url) == nil)
  }

  @Test func listenAddresses() {
    #expect(ListenAddress("127.0.0.1:8090") == ListenAddress("127.0.0.1:8090"))
    #expect(ListenAddress("[::1]:8090")?.host == "::1")
    #expect(ListenAddress("0.0.0.0:0")?.port == 0)
    #expect(ListenAddress("8090") == nil)
    #expect(ListenAddress(":8090") == nil)
    #expect(ListenAddress("h:70000") == nil)
  }
}
