import Foundation
import HummingbirdTesting
import LatchkeyMCP
import Testing

@Suite struct MetadataTests {
  struct Document: Decodable, Equatable {
    var resource: String
    var authorizationServers: [String]
    var scopesSupported: [String]
    var bearerMethodsSupported: [String]
    var resourceName: String?
  }

  /// Field names are checked through snake_case conversion of the camelCase properties.
  static let decoder: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return decoder
  }()

  @Test func documentAtPathInsertedURLHasExactFields() async throws {
    let harness = try MiddlewareHarness()
    try await harness.test { client in
      let response = try await client.send(.get, "/.well-known/oauth-protected-resource/mcp")
      #expect(response.status == .ok)
      #expect(response.headers[.contentType] == "application/json")
      let document = try Self.decoder.decode(Document.self, from: Data(buffer: response.body))
      #expect(
        document
          == Document(
            resource: "https://mcp.example/mcp", authorizationServers: [TestIssuer.issuer],
            scopesSupported: ["notes:admin", "notes:read", "notes:write"],
            bearerMethodsSupported: ["header"], resourceName: "Test notes"))
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
      let document = try Self.decoder.decode(Document.self, from: Data(buffer: response.body))
      #expect(document.resource == "https://mcp.example")
      #expect(document.authorizationServers == [TestIssuer.issuer])
      let unauthenticated = try await client.send(.post, "/", body: MiddlewareHarness.initialize)
      #expect(unauthenticated.status == .unauthorized)
    }
  }
}
