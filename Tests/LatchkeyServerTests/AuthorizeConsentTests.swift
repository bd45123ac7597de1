import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyServer
import Testing

@Suite("Authorize: consent")
struct AuthorizeConsentTests {
  @Test("deny redirects with access_denied, state and iss; nothing is issued")
  func deny() async throws {
    let server = try await TestAuthorizationServer()
    let parameters = AuthorizeParameters()
    let issuer = server.issuer
    let redirect = try await server.run { browser in
      try await browser.authorizationRedirect(parameters, decision: "deny")
    }
    #expect(redirect.query["error"] == "access_denied")
    #expect(redirect.query["state"] == parameters.state)
    #expect(redirect.query["iss"] == issuer)
    #expect(redirect.query["code"] == nil)
    #expect(try await server.allGrants().isEmpty)
    #expect(try await server.auditEvents(type: "consent.denied").count == 1)
    let consent = try await server.store.consent(
      userID: TestAuthorizationServer.userID, clientID: TestAuthorizationServer.clientID,
      resource: TestAuthorizationServer.resourceURL)
    #expect(consent == nil)
  }

  @Test("consent is remembered, and a new scope is asked for alone (incremental)")
  func incremental() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      _ = try await browser.authorize()

      // Same scopes again: signed in and consented, so straight back with a code.
      let again = try await browser.get(AuthorizeParameters().uri)
      #expect(again.status == .seeOther)
      #expect(try AuthorizationRedirect(again).query["code"] != nil)

      // Asking for notes:write as well shows only the new scope.
      var wider = AuthorizeParameters()
      wider.scope = "notes:read notes:write"
      let page = try await browser.get(wider.uri)
      #expect(page.status == .ok)
      let html = String(buffer: page.body)
      #expect(html.contains(TestAuthorizationServer.writeDescription))
      #expect(!html.contains(TestAuthorizationServer.readDescription))
      let done = try await browser.submit(page, adding: [("decision", "approve")])
      #expect(done.status == .seeOther)
      #expect(try AuthorizationRedirect(done).query["code"] != nil)
    }
    let consent = try #require(
      try await server.store.consent(
        userID: TestAuthorizationServer.userID, clientID: TestAuthorizationServer.clientID,
        resource: TestAuthorizationServer.resourceURL))
    #expect(consent.scopes == ScopeSet(["notes:read", "notes:write"]))
    let grants = try await server.allGrants().sorted {
      $0.scopes.tokens.count < $1.scopes.tokens.count
    }
    #expect(grants.count == 3)
    #expect(grants.last?.scopes == ScopeSet(["notes:read", "notes:write"]))
  }

  @Test("a narrower request after a wider consent issues exactly the requested scopes")
  func exactScopes() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      var wide = AuthorizeParameters()
      wide.scope = "notes:read notes:write"
      _ = try await browser.authorize(wide)
      var narrow = AuthorizeParameters()
      narrow.scope = "notes:write"
      let response = try await browser.get(narrow.uri)
      #expect(response.status == .seeOther)
    }
    let scopes = try await server.allGrants().map(\.scopes)
    #expect(scopes.contains(ScopeSet(["notes:write"])))
  }

  @Test("with skipping disabled, the consent page is shown again")
  func noSkip() async throws {
    var policy = ConsentPolicy()
    policy.skipWhenAlreadyGranted = false
    let server = try await TestAuthorizationServer(consent: policy)
    try await server.run { browser in
      _ = try await browser.authorize()
      let again = try await browser.get(AuthorizeParameters().uri)
      #expect(again.status == .ok)
      #expect(String(buffer: again.body).contains(TestAuthorizationServer.readDescription))
    }
  }
}
