import Foundation
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyDemo
import LatchkeyMCP
import LatchkeyMCPSwiftSDK
import MCP
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

@Suite struct UnprotectedNotesTests {
  /// The benchmark baseline works with the SDK client, and a client cannot smuggle in an
  /// identity through the glue's internal header.
  @Test func unprotectedServerIgnoresForgedIdentityHeader() async throws {
    let store = NotesStore()
    let app = try buildUnprotectedNotesApplication(
      configuration: NotesConfiguration(resource: "http://localhost/mcp", issuer: "unused"),
      store: store)
    let forged = VerifiedIdentity(
      subject: "mallory", clientID: nil, scopes: .empty, audience: [], tokenID: nil,
      issuer: nil, expiresAt: Date(timeIntervalSinceNow: 600))
    let forgedHeader = try JSONEncoder().encode(forged).base64EncodedString()
    try await app.test(.live) { client in
      let port = try #require(client.port)
      let transport = HTTPClientTransport(
        endpoint: try #require(URL(string: "http://localhost:\(port)/mcp")), streaming: false,
        requestModifier: { request in
          var request = request
          request.setValue(forgedHeader, forHTTPHeaderField: IdentityHeader.name)
          return request
        })
      let mcpClient = MCP.Client(name: "baseline", version: "1.0.0")
      _ = try await mcpClient.connect(transport: transport)
      let added = try await mcpClient.callTool(name: "add_note", arguments: ["text": "hello"])
      #expect(added.isError != true)
      await mcpClient.disconnect()
    }
    #expect(await store.list(subject: "anonymous") == [Note(id: 1, text: "hello")])
    #expect(await store.list(subject: "mallory").isEmpty)
  }
}
