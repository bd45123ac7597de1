import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import Testing

@Suite("Authorize: happy path")
struct AuthorizeFlowTests {
  @Test("authorize → login → consent → code → token")
  func happyPath() async throws {
    let server = try await TestAuthorizationServer()
    let parameters = AuthorizeParameters()
    let issuer = server.issuer
    try await server.run { browser in
      let first = try await browser.get(parameters.uri)
      #expect(first.status == .ok)
      let login = try TestBrowser.form(in: first)
      #expect(login.hasPasswordField)
      #expect(login.value("username") != nil)
      #expect(login.value("csrf_token") != nil)

      let consent = try await browser.submit(
        first, replacing: ["username": nil],
        adding: [
          ("username", TestAuthorizationServer.username),
          ("password", TestAuthorizationServer.password),
        ])
      #expect(consent.status == .ok)
      let consentHTML = String(buffer: consent.body)
      #expect(consentHTML.contains(TestAuthorizationServer.clientName))
      #expect(consentHTML.contains("Notes"))
      #expect(consentHTML.contains(TestAuthorizationServer.readDescription))
      #expect(consentHTML.contains("name=\"decision\" value=\"approve\""))
      #expect(consentHTML.contains("name=\"decision\" value=\"deny\""))

      let done = try await browser.submit(consent, adding: [("decision", "approve")])
      #expect(done.status == .seeOther)
      let redirect = try AuthorizationRedirect(done)
      #expect(redirect.target == TestAuthorizationServer.redirectURI)
      #expect(redirect.query["state"] == parameters.state)
      #expect(redirect.query["iss"] == issuer)
      let code = try #require(redirect.query["code"])
      #expect(code.utf8.count == 43)

      let token = try await browser.redeem(code: code, parameters)
      #expect(token.status == .ok)
      #expect(token.headers[.cacheControl] == "no-store")
      let body = try JSONSerialization.jsonObject(with: Data(buffer: token.body)) as? [String: Any]
      #expect(body?["token_type"] as? String == "Bearer")
      #expect(body?["access_token"] is String)
      #expect(body?["refresh_token"] is String)
      #expect(body?["scope"] as? String == "notes:read")
    }
    let grants = try await server.allGrants()
    #expect(grants.count == 1)
    #expect(grants.first?.userID == TestAuthorizationServer.userID)
    #expect(grants.first?.scopes == ScopeSet(["notes:read"]))
    #expect(try await server.auditEvents(type: "login.succeeded").count == 1)
    #expect(try await server.auditEvents(type: "consent.granted").count == 1)
    #expect(try await server.auditEvents(type: "code.issued").count == 1)
  }

  @Test("the code is stored as a hash with its bindings and lifetime")
  func codeBindings() async throws {
    let server = try await TestAuthorizationServer()
    var parameters = AuthorizeParameters()
    parameters.redirectURI = "http://127.0.0.1:9/callback"
    let result = try await server.run { [parameters] browser in
      try await browser.authorize(parameters)
    }
    let grant = try #require(try await server.allGrants().first)
    #expect(grant.resource == TestAuthorizationServer.resourceURL)
    #expect(grant.clientID == TestAuthorizationServer.clientID)
    #expect(
      grant.expiresAt
        == server.clock.now().addingTimeInterval(
          TimeInterval(server.configuration.tokens.refreshFamily)))
    // The loopback port variance is accepted and the code is bound to the URI actually sent.
    let redeemed = try await server.run { [parameters] browser in
      try await browser.redeem(code: result.code, parameters)
    }
    #expect(redeemed.status == .ok)
  }

  @Test("no resource falls back to the only resource; no scope gives the default scopes")
  func defaults() async throws {
    let server = try await TestAuthorizationServer()
    var parameters = AuthorizeParameters()
    parameters.resources = []
    parameters.scope = nil
    let result = try await server.run { [parameters] browser in
      try await browser.authorize(parameters)
    }
    #expect(!result.code.isEmpty)
    let grant = try #require(try await server.allGrants().first)
    #expect(grant.scopes == ScopeSet(["notes:read"]))
    #expect(grant.resource == TestAuthorizationServer.resourceURL)
  }
}
