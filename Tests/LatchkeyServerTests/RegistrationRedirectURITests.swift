import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import LatchkeyTestSupport
import NIOCore
import Testing

@testable import LatchkeyServer

/// Issue 24 §1: redirect URIs as deployed MCP clients register them (private-use schemes that
/// are not reverse-domain names, several URIs in one request), all or nothing, and an error
/// that names the URI it refused.
@Suite("Registration: redirect URIs real clients send")
struct RegistrationRedirectURITests {
  static let cursor = """
    {"client_name":"Cursor","redirect_uris":["cursor://anysphere.cursor-mcp/oauth/callback",
     "https://www.cursor.com/agents/mcp/oauth/callback","http://localhost:8787/callback"],
     "token_endpoint_auth_method":"none","grant_types":["authorization_code","refresh_token"],
     "response_types":["code"]}
    """
  static let windsurf = """
    {"client_name":"Windsurf","redirect_uris":["windsurf://codeium.windsurf/mcp-oauth-callback"],
     "token_endpoint_auth_method":"none","grant_types":["authorization_code","refresh_token"]}
    """

  @Test(arguments: [cursor, windsurf])
  func vendorSchemesRegisterAsNativeClients(json: String) async throws {
    let h = EndpointHarness()
    try await h.test { client in
      let response = try await RegistrationEndpointTests.register(client, json)
      #expect(response.status == .created)
      let body = try Wire.json(response)
      #expect(body["application_type"] as? String == "native")
      let sent = try #require(
        try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
      #expect(body["redirect_uris"] as? [String] == sent["redirect_uris"] as? [String])
    }
  }

  @Test(arguments: [
    "javascript://x/%0Aalert(1)", "data://text/html", "ws://127.0.0.1/cb", "httpx://a.example/cb",
    "file:///etc/passwd", "http://evil.example/cb",
  ])
  func oneBadURIFailsTheWholeRegistrationAndIsNamed(bad: String) async throws {
    let h = EndpointHarness()
    let json = """
      {"client_name":"Mixed","redirect_uris":["cursor://anysphere.cursor-mcp/oauth/callback",
       "\(bad)"],"token_endpoint_auth_method":"none"}
      """
    try await h.test { client in
      let response = try await RegistrationEndpointTests.register(client, json)
      #expect(response.status == .badRequest)
      let body = try Wire.json(response)
      #expect(body["error"] as? String == "invalid_redirect_uri")
      let description = try #require(body["error_description"] as? String)
      #expect(description.hasPrefix("redirect_uris[1] is not allowed"))
      #expect(!description.contains(bad), "the refused value is never echoed")
    }
    #expect(try await h.store.clients().isEmpty)
  }
}
