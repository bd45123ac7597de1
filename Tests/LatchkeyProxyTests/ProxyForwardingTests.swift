import Foundation
import HTTPTypes
import LatchkeyDemo
import LatchkeyProxy
import LatchkeyTestSupport
import Testing

/// What crosses the proxy: identity in, token out, responses and event streams back.
@Suite("Proxy: forwarding")
struct ProxyForwardingTests {
  @Test func upstreamGetsTheIdentityAndNeverTheToken() async throws {
    try await ProxyHarness.withStack { issuer, upstream, proxyURL in
      let token = try issuer.token(
        sub: "alice", scope: "notes:read notes:write", clientID: "client-7", jti: "token-42")
      let response = try await TestHTTPClient().postJSON(
        proxyURL, ProxyHarness.toolCall("add_note"),
        headers: [
          "Authorization": "Bearer \(token)", "Accept": "application/json, text/event-stream",
          "Mcp-Session-Id": "s-1", "MCP-Protocol-Version": "2025-06-18",
          "X-Latchkey-Subject": "mallory", "X-Latchkey-Scopes": "admin",
          "X-Latchkey-Anything": "forged", "Cookie": "session=secret",
          "X-Forwarded-For": "203.0.113.9",
        ])
      #expect(response.status == 200)
      #expect(response.text == #"{"jsonrpc":"2.0","id":1,"result":{}}"#)
      #expect(response.header("X-Upstream") == "yes")
      #expect(response.header("Mcp-Session-Id") == "session-1")

      let seen = try #require(upstream.lastHeaders)
      func field(_ name: String) -> [String] { seen[values: HTTPField.Name(name)!] }
      #expect(field("Authorization").isEmpty)
      #expect(field("X-Latchkey-Subject") == ["alice"])
      #expect(field("X-Latchkey-Client-Id") == ["client-7"])
      #expect(field("X-Latchkey-Scopes") == ["notes:read notes:write"])
      #expect(field("X-Latchkey-Token-Id") == ["token-42"])
      #expect(field("X-Latchkey-Issuer") == [issuer.issuerURL])
      #expect(field("X-Latchkey-Anything").isEmpty)
      #expect(field("Cookie").isEmpty)
      #expect(field("X-Forwarded-For") == ["127.0.0.1"])
      #expect(field("X-Forwarded-Host") == ["mcp.example"])
      #expect(field("X-Forwarded-Proto") == ["https"])
      #expect(field("Mcp-Session-Id") == ["s-1"])
      #expect(field("MCP-Protocol-Version") == ["2025-06-18"])
      #expect(field("Accept") == ["application/json, text/event-stream"])
      let proxyPort = try #require(URL(string: proxyURL)?.port)
      let authority = try #require(upstream.lastAuthority)
      #expect(authority.hasPrefix("127.0.0.1:"))
      #expect(authority != "127.0.0.1:\(proxyPort)")
      #expect(upstream.lastBody == ProxyHarness.toolCall("add_note"))
    }
  }

  @Test func deleteAndLastEventIDAreForwarded() async throws {
    try await ProxyHarness.withStack { issuer, upstream, proxyURL in
      let token = try issuer.token(scope: "notes:read")
      let response = try await TestHTTPClient().send(
        "DELETE", proxyURL,
        headers: ["Authorization": "Bearer \(token)", "Mcp-Session-Id": "s-9"], body: nil)
      #expect(response.status == 200)
      #expect(upstream.lastHeaders?[HTTPField.Name("Mcp-Session-Id")!] == "s-9")
      #expect(upstream.lastHeaders?[.authorization] == nil)
    }
  }

  /// The upstream sends three events 700 ms apart; the first must reach the client long
  /// before the stream ends, i.e. the proxy does not buffer event streams (checked by mutation:
  /// a relay that collects the body first fails this test).
  @Test func eventStreamArrivesEventByEvent() async throws {
    try await ProxyHarness.withStack { issuer, _, proxyURL in
      let token = try issuer.token(scope: "notes:read")
      let client = UpstreamClient(target: try #require(UpstreamTarget(proxyURL)))
      let start = ContinuousClock.now
      let response = try await client.send(
        method: .get, path: "/mcp",
        headerFields: [
          .authorization: "Bearer \(token)", .accept: "text/event-stream",
          HTTPField.Name("Last-Event-ID")!: "0",
        ], body: nil)
      #expect(response.status == .ok)
      #expect(response.headerFields[.contentType] == "text/event-stream")
      var arrivals: [(Duration, String)] = []
      try await response.body.stream { buffer in
        arrivals.append((ContinuousClock.now - start, String(buffer: buffer)))
      }
      let text = arrivals.map(\.1).joined()
      #expect(text == "id: 1\ndata: event 1\n\nid: 2\ndata: event 2\n\nid: 3\ndata: event 3\n\n")
      let first = try #require(arrivals.first { $0.1.contains("event 1") }).0
      let total = try #require(arrivals.last).0
      // The upstream spends 2 gaps between its first and last event: unbuffered, the client
      // sees the first event well over a gap before the end (buffered, both arrive together).
      // Absolute times are not asserted: token checks on a loaded 2-core machine vary.
      #expect(total - first >= RecordingUpstream.gap)
    }
  }

  @Test func lastEventIDReachesTheUpstream() async throws {
    try await ProxyHarness.withStack { issuer, upstream, proxyURL in
      let token = try issuer.token(scope: "notes:read")
      let client = UpstreamClient(target: try #require(UpstreamTarget(proxyURL)))
      let response = try await client.send(
        method: .get, path: "/mcp",
        headerFields: [
          .authorization: "Bearer \(token)", .accept: "text/event-stream",
          HTTPField.Name("Last-Event-ID")!: "17",
        ], body: nil)
      response.body.close()
      #expect(upstream.lastHeaders?[HTTPField.Name("Last-Event-ID")!] == "17")
    }
  }

  @Test func upstreamDownGets502WithoutDetails() async throws {
    let issuer = try LiveIssuer()
    try await RefusingPort.with { closedPort in
      try await issuer.run { issuerURL in
        let configuration = ProxyHarness.configuration(
          issuer: issuerURL, upstream: "http://127.0.0.1:\(closedPort)/mcp")
        try await ProxyHarness.withProxy(configuration) { proxyURL in
          let token = try issuer.token(scope: "notes:read")
          let response = try await TestHTTPClient().postJSON(
            proxyURL, OAuthTestClient.initializeRequest,
            headers: ["Authorization": "Bearer \(token)"])
          #expect(response.status == 502)
          #expect(response.header("Content-Type") == "application/json")
          #expect(
            response.text
              == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Upstream MCP server unavailable"}}"#
          )
        }
      }
    }
  }

  /// A real MCP server (the example notes server without protection) behind the proxy.
  @Test func notesServerWorksBehindTheProxy() async throws {
    let issuer = try LiveIssuer()
    let store = NotesStore()
    let notes = try buildUnprotectedNotesApplication(
      configuration: NotesConfiguration(port: 0, resource: "http://127.0.0.1/mcp", issuer: "-"),
      store: store, logger: ProxyHarness.quietLogger)
    try await issuer.run { issuerURL in
      try await notes.test(.live) { notesClient in
        let upstream = "http://127.0.0.1:\(try #require(notesClient.port))/mcp"
        let configuration = ProxyHarness.configuration(issuer: issuerURL, upstream: upstream)
        try await ProxyHarness.withProxy(configuration) { proxyURL in
          let token = try issuer.token(scope: "notes:read notes:write")
          var headers = [
            "Authorization": "Bearer \(token)", "Accept": "application/json, text/event-stream",
          ]
          let http = TestHTTPClient()
          let initialized = try await http.postJSON(
            proxyURL, OAuthTestClient.initializeRequest, headers: headers)
          #expect(initialized.status == 200)
          let session = initialized.header("Mcp-Session-Id")
          #expect(session != nil)
          headers["Mcp-Session-Id"] = session
          headers["MCP-Protocol-Version"] = "2025-06-18"
          let added = try await http.postJSON(
            proxyURL, ProxyHarness.toolCall("add_note", id: 2), headers: headers)
          #expect(added.status == 200)
          #expect(added.text.contains(#""isError":false"#) || !added.text.contains("isError"))
        }
      }
    }
    #expect(await store.list(subject: "anonymous").map(\.text) == ["x"])
  }

}
