import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyServer
import LatchkeyTestSupport
import Testing

@testable import LatchkeyServer

/// Scopes from upstream groups (issue 23 §3): `scope_mappings` limits what a user signed in
/// through a provider may be granted, on the consent page, in the code and in the token.
@Suite("identity providers: scopes from upstream groups", .serialized)
struct UpstreamScopeMappingTests {
  typealias Link = UpstreamScopeRule.Link
  static let writers = [
    "mcp-writers": ["notes:write"], "mcp-admins": ["notes:write", "notes:admin"],
  ]

  @Test func aMappedScopeNeedsAGroupAndAnUnmappedScopeIsUntouched() {
    let requested = ScopeSet(["notes:read", "notes:write", "notes:admin"])
    #expect(UpstreamScopeRule.permitted(requested, links: []) == requested)
    #expect(
      UpstreamScopeRule.permitted(requested, links: [Link(mappings: [:], groups: ["x"])])
        == requested)
    #expect(
      UpstreamScopeRule.permitted(requested, links: [Link(mappings: Self.writers, groups: [])])
        == ScopeSet(["notes:read"]))
    #expect(
      UpstreamScopeRule.permitted(
        requested, links: [Link(mappings: Self.writers, groups: ["mcp-writers"])])
        == ScopeSet(["notes:read", "notes:write"]))
    #expect(
      UpstreamScopeRule.permitted(
        requested, links: [Link(mappings: Self.writers, groups: ["mcp-admins", "other"])])
        == requested)
    // Two linked providers: a group at either allows the scope.
    #expect(
      UpstreamScopeRule.permitted(
        requested,
        links: [
          Link(mappings: Self.writers, groups: []),
          Link(mappings: ["staff": ["notes:write"]], groups: ["staff"]),
        ]) == ScopeSet(["notes:read", "notes:write"]))
  }

  @Test func aMappingWithoutScopesOrWithABadScopeStopsTheStart() throws {
    for mappings in [
      ["g": [String]()], ["": ["notes:read"]], ["g": ["two words"]],
    ] {
      var provider = IdentityProviderConfiguration(
        id: "corp", issuer: "https://idp.example.com", clientID: "x", clientSecretEnv: "S")
      provider.scopeMappings = mappings
      let group = mappings.keys.first ?? ""
      #expect(
        provider.problem
          == "identity provider \"corp\": scope_mappings entry \"\(group)\" must map a group to one or more scope names"
      )
    }
  }

  static func walk(
    _ stub: StubOpenIDProvider, _ browser: TestBrowser, scope: String
  ) async throws -> TestResponse {
    var parameters = AuthorizeParameters()
    parameters.scope = scope
    return try await UpstreamSignInTests.callback(stub, browser, parameters)
  }

  @Test func theConsentPageAndTheTokenOnlyHoldWhatTheGroupsAllow() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await UpstreamSignInTests.server(issuer: issuer) {
        $0.scopeMappings = ["mcp-writers": ["notes:write"]]
      }
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        // groups: ["mcp-users"] — notes:write is withheld, notes:read offered.
        var parameters = AuthorizeParameters()
        parameters.scope = "notes:read notes:write"
        let consent = try await UpstreamSignInTests.callback(stub, browser, parameters)
        #expect(consent.status == .ok)
        let page = String(buffer: consent.body)
        #expect(page.contains(TestAuthorizationServer.readDescription))
        #expect(!page.contains(TestAuthorizationServer.writeDescription))
        let redirect = try AuthorizationRedirect(
          try await browser.submit(consent, adding: [("decision", "approve")]))
        let tokens = try await browser.redeem(
          code: try #require(redirect.query["code"]), parameters)
        #expect(try Wire.json(tokens)["scope"] as? String == "notes:read")
      }
      let withheld = try await server.auditEvents(type: "scope.withheld")
      #expect(withheld.map(\.scopes) == [ScopeSet(["notes:write"])])
      #expect(try await server.allGrants().map(\.scopes) == [ScopeSet(["notes:read"])])
    }
  }

  @Test func onlyAMappedScopeWithoutTheGroupIsAccessDenied() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await UpstreamSignInTests.server(issuer: issuer) {
        $0.scopeMappings = ["mcp-writers": ["notes:write"]]
      }
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let redirect = try AuthorizationRedirect(
          try await Self.walk(stub, browser, scope: "notes:write"))
        #expect(redirect.query["error"] == "access_denied" && redirect.query["code"] == nil)
      }
      #expect(try await server.allGrants().isEmpty)
    }
  }

  @Test func theGroupsOfTheLatestSignInCount() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await UpstreamSignInTests.server(issuer: issuer) {
        $0.scopeMappings = ["mcp-writers": ["notes:write"]]
      }
      stub.shape.groups = ["mcp-users", "mcp-writers"]
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let consent = try await Self.walk(stub, browser, scope: "notes:read notes:write")
        #expect(String(buffer: consent.body).contains(TestAuthorizationServer.writeDescription))
      }
      let user = try #require(try await server.store.users().first { $0.id.hasPrefix("idp_") })
      #expect(
        try await server.store.userIdentities(userID: user.id).first?.groups
          == ["mcp-users", "mcp-writers"])
      // Removed from the group upstream: the next sign-in no longer allows notes:write.
      stub.shape.groups = ["mcp-users"]
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let redirect = try AuthorizationRedirect(
          try await Self.walk(stub, browser, scope: "notes:write"))
        #expect(redirect.query["error"] == "access_denied")
      }
    }
  }
}
