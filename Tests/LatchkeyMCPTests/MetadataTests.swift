import Foundation
import HummingbirdTesting
import LatchkeyMCP
import Testing

@Suite struct MetadataTests {
  struct Document: Decodable, Equatable {
    var resource: String
    var authorization_servers: [String]
    var scopes_supported: [String]
    var bearer_methods_supported: [String]
    var resource_name: String?
  }

  @Test func documentAtPathInsertedURLHasExactFields() async throws {
    let harness = try MiddlewareHarness()
    try await harness.test { client in
      let response = try await client.send(.get, "/.well-known/oauth-protected-resource/mcp")
      #expect(response.status == .ok)
      #expect(response.headers[.contentType] == "application/json")
      let document = try JSONDecoder().decode(Document.self, from: Data(buffer: response.body))
      #expect(
        document
          == Document(
            resource: "https://mcp.example/mcp", authorization_servers: [TestIssuer.issuer],
            scopes_supported: ["notes:admin", "notes:read", "notes:write"],
            bearer_methods_supported: ["header"], resource_name: "Test notes"))
      let root = try await client.send(.get, "/.well-known/oauth-protected-resource")
      #expect(root.status == .notFound)
    }
    #expect(harness.runs.count == 0)
  }

  @Test func rootEndpointServesRootDocument() async throws {
    let harness = try MiddlewareHarness(resource: "https://mcp.example")
    #expect(harness.metadataURL == "https://mcp.example/.well-known/oauth-protected-resource")
    try await harness.test { client in
      let response = try await client.send(.get, "/.well-known/oauth-protected-resource")
      #expect(response.status == .ok)
      let document = try JSONDecoder().decode(Document.self, from: Data(buffer: response.body))
      #expect(document.resource == "https://mcp.example")
      #expect(document.authorization_servers == [TestIssuer.issuer])
      let unauthenticated = try await client.send(.post, "/", body: MiddlewareHarness.initialize)
      #expect(unauthenticated.status == .unauthorized)
    }
  }
}
