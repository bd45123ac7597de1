import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyTestSupport
import Testing

/// Issue 24 §3: browser-based MCP clients (the MCP Inspector's direct mode) can discover,
/// register and redeem: CORS preflight and headers on the machine endpoints, never credentials,
/// never on the `/authorize` pages.
@Suite("CORS on the authorization server")
struct CrossOriginTests {
  static let inspector = "http://localhost:6274"

  static let documents = [
    "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration", "/jwks.json",
  ]
  static let machine = ["/token", "/register", "/revoke", "/introspect"]

  @Test(arguments: documents + machine)
  func preflightIsAnsweredForAnyOriginWithoutCredentials(path: String) async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      let response = try await browser.client.execute(
        uri: path, method: .options,
        headers: [
          .origin: Self.inspector, .accessControlRequestMethod: "POST",
          .accessControlRequestHeaders: "content-type, mcp-protocol-version",
        ])
      #expect(response.status == .noContent)
      #expect(response.headers[.accessControlAllowOrigin] == "*")
      let methods = try #require(response.headers[.accessControlAllowMethods])
      #expect(methods.contains(Self.documents.contains(path) ? "GET" : "POST"))
      let allowed = try #require(response.headers[.accessControlAllowHeaders])
      #expect(allowed.contains("Content-Type") && allowed.contains("MCP-Protocol-Version"))
      #expect(response.headers[.accessControlAllowCredentials] == nil)
    }
  }

  @Test func responsesCarryTheOriginHeaderErrorsIncluded() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      let metadata = try await browser.client.execute(
        uri: "/.well-known/oauth-authorization-server", method: .get,
        headers: [.origin: Self.inspector])
      #expect(metadata.status == .ok)
      #expect(metadata.headers[.accessControlAllowOrigin] == "*")
      let token = try await browser.client.execute(
        uri: "/token", method: .post,
        headers: [.origin: Self.inspector, .contentType: "application/x-www-form-urlencoded"],
        body: .init(string: "grant_type=authorization_code"))
      #expect(token.status == .unauthorized)
      #expect(token.headers[.accessControlAllowOrigin] == "*")
      #expect(token.headers[.accessControlExposeHeaders]?.contains("WWW-Authenticate") == true)
      #expect(token.headers[.accessControlAllowCredentials] == nil)
      let register = try await browser.client.execute(
        uri: "/register", method: .post,
        headers: [.origin: Self.inspector, .contentType: "application/json"],
        body: .init(string: "{}"))
      #expect(register.headers[.accessControlAllowOrigin] == "*")
    }
  }

  @Test func theAuthorizationPagesGetNoCORSHeaders() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      let page = try await browser.client.execute(
        uri: AuthorizeParameters().uri, method: .get, headers: [.origin: Self.inspector])
      #expect(page.headers[.accessControlAllowOrigin] == nil)
      let preflight = try await browser.client.execute(
        uri: "/authorize", method: .options,
        headers: [.origin: Self.inspector, .accessControlRequestMethod: "POST"])
      #expect(preflight.headers[.accessControlAllowOrigin] == nil)
    }
  }
}
