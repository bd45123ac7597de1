import Foundation
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyDemo
import LatchkeyMCP
import MCP
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

@Suite struct NotesClientTests {
  static let resource = "http://localhost/mcp"

  static func client(port: Int, token: String) -> (MCP.Client, HTTPClientTransport) {
    let transport = HTTPClientTransport(
      endpoint: URL(string: "http://localhost:\(port)/mcp")!, streaming: false,
      requestModifier: { request in
        var request = request
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        return request
      })
    return (MCP.Client(name: "notes-test", version: "1.0.0"), transport)
  }

  static func withNotesServer(
    _ body:
      @escaping @Sendable (_ port: Int, _ issuer: TestIssuer, _ store: NotesStore) async throws ->
      Void
  ) async throws {
    let issuer = try TestIssuer()
    let source = JWKSKeySource(issuer: issuer.issuer, fetcher: StubFetcher(issuer: issuer))
    let verifier = JWTAccessTokenVerifier(
      issuer: issuer.issuer, resource: resource, keySource: source)
    let store = NotesStore()
    let app = try buildNotesApplication(
      configuration: NotesConfiguration(resource: resource, issuer: issuer.issuer),
      verifier: verifier, store: store)
    try await app.test(.live) { client in
      try await body(try #require(client.port), issuer, store)
    }
  }

  @Test func sdkClientInitializesListsAddsAndReadsNotes() async throws {
    try await Self.withNotesServer { port, issuer, store in
      let token = try issuer.token(aud: Self.resource, issuedAt: Date())
      let (client, transport) = Self.client(port: port, token: token)
      _ = try await client.connect(transport: transport)
      let tools = try await client.listTools().tools.map(\.name)
      #expect(tools == ["list_notes", "read_note", "add_note", "delete_note"])
      let added = try await client.callTool(name: "add_note", arguments: ["text": "buy milk"])
      #expect(added.isError != true)
      let listed = try await client.callTool(name: "list_notes")
      guard case .text(let text, _, _) = try #require(listed.content.first) else {
        Issue.record("expected text content")
        return
      }
      #expect(text == "1: buy milk")
      #expect(await store.list(subject: "alice") == [Note(id: 1, text: "buy milk")])
      await client.disconnect()
    }
  }

  @Test func tokenWithoutWriteScopeCannotAddNotes() async throws {
    try await Self.withNotesServer { port, issuer, store in
      let token = try issuer.token(scope: "notes:read", aud: Self.resource, issuedAt: Date())
      let (client, transport) = Self.client(port: port, token: token)
      _ = try await client.connect(transport: transport)
      await #expect(throws: (any Error).self) {
        _ = try await client.callTool(name: "add_note", arguments: ["text": "nope"])
      }
      #expect(await store.handledToolCalls == 0)
      #expect(await store.list(subject: "alice").isEmpty)
      await client.disconnect()
    }
  }

  @Test func sessionsAreBoundToTheirSubject() async throws {
    try await Self.withNotesServer { port, issuer, _ in
      let alice = try issuer.token(aud: Self.resource, issuedAt: Date())
      let bob = try issuer.token(sub: "bob", aud: Self.resource, issuedAt: Date())
      var request = URLRequest(url: URL(string: "http://localhost:\(port)/mcp")!)
      request.httpMethod = "POST"
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
      request.setValue("application/json, text/event-stream", forHTTPHeaderField: "Accept")
      request.setValue("Bearer \(alice)", forHTTPHeaderField: "Authorization")
      request.httpBody = Data(MiddlewareHarness.initialize.utf8)
      let (_, response) = try await URLSession.shared.data(for: request)
      let http = try #require(response as? HTTPURLResponse)
      #expect(http.statusCode == 200)
      let session = try #require(http.value(forHTTPHeaderField: "Mcp-Session-Id"))
      request.setValue(session, forHTTPHeaderField: "Mcp-Session-Id")
      request.setValue("Bearer \(bob)", forHTTPHeaderField: "Authorization")
      request.setValue("2025-06-18", forHTTPHeaderField: "MCP-Protocol-Version")
      request.httpBody = Data(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#.utf8)
      let (_, hijack) = try await URLSession.shared.data(for: request)
      #expect((hijack as? HTTPURLResponse)?.statusCode == 404)
    }
  }
}
