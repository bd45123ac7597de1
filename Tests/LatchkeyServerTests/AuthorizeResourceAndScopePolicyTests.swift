import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyServer
import LatchkeyTestSupport
import Testing

/// Issue 24 §2 and §5: the `scope_tolerance` and `default_resource` settings.
@Suite("Authorize: scope_tolerance and default_resource")
struct AuthorizeResourceAndScopePolicyTests {
  static let other = "https://other.example.com/mcp"

  static func twoResources(defaultResource: String? = nil) async throws
    -> TestAuthorizationServer
  {
    var server = try await TestAuthorizationServer()
    server.configuration.resources.append(
      ResourceConfiguration(
        url: Self.other, name: "Other",
        scopes: [ScopeDefinition(name: "other:read", description: "Read the other thing")],
        defaultScopes: ["other:read"]))
    server.configuration.defaultResource = defaultResource
    return server
  }

  @Test("scope_tolerance strict: an unknown scope is invalid_scope, nothing issued")
  func strictRefusesUnknownScopes() async throws {
    var server = try await TestAuthorizationServer()
    server.configuration.scopeTolerance = .strict
    var parameters = AuthorizeParameters()
    parameters.scope = "notes:read notes:delete"
    let redirect = try await server.run { [parameters] browser in
      try AuthorizationRedirect(try await browser.get(parameters.uri))
    }
    #expect(redirect.query["error"] == "invalid_scope")
    #expect(try await server.allGrants().isEmpty)
  }

  @Test("without resource and with two resources: invalid_target unless decided")
  func missingResourceWithTwoResources() async throws {
    let server = try await Self.twoResources()
    var parameters = AuthorizeParameters()
    parameters.resources = []
    let redirect = try await server.run { [parameters] browser in
      try AuthorizationRedirect(try await browser.get(parameters.uri))
    }
    #expect(redirect.query["error"] == "invalid_target")
  }

  @Test("default_resource decides a request without resource")
  func defaultResourceDecides() async throws {
    let server = try await Self.twoResources(defaultResource: Self.other)
    var parameters = AuthorizeParameters()
    parameters.resources = []
    parameters.scope = nil
    try await server.run { [parameters] browser in
      _ = try await browser.authorize(parameters)
    }
    let grants = try await server.allGrants()
    #expect(grants.map(\.resource) == [Self.other])
    #expect(grants.map(\.scopes) == [ScopeSet(["other:read"])])
  }

  @Test func theClientsOriginDecidesWhenExactlyOneResourceShares() {
    let notes = Fixtures.resource(url: "https://mcp.example.com/mcp")
    let other = Fixtures.resource(url: "https://other.example.com/mcp")
    #expect(
      ResourceIndicatorRule.implicitResource(
        registered: [notes, other], defaultResource: nil,
        clientOrigins: ["https://other.example.com/oauth/callback"]) == other)
    #expect(
      ResourceIndicatorRule.implicitResource(
        registered: [notes, other], defaultResource: nil,
        clientOrigins: ["http://127.0.0.1/callback", "cursor://x/cb"]) == nil)
    #expect(
      ResourceIndicatorRule.implicitResource(
        registered: [notes, other], defaultResource: "https://MCP.example.com/mcp",
        clientOrigins: ["https://other.example.com/cb"]) == notes)
    #expect(
      ResourceIndicatorRule.implicitResource(
        registered: [notes, other], defaultResource: "https://unknown.example/mcp",
        clientOrigins: []) == nil)
  }
}
