import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyServer
import LatchkeyTestSupport
import Testing

/// Security review (issue 21) §2: the authorization interaction is a server-side record, bound
/// to the browser that started it and to the user who signed in, decided exactly once.
@Suite("Authorize: single-use interaction bound to one browser")
struct AuthorizeInteractionTests {
  /// Signs in and returns the consent page (its form names the interaction).
  static func consentPage(_ browser: TestBrowser, _ parameters: AuthorizeParameters) async throws
    -> TestResponse
  {
    let login = try await browser.get(parameters.uri)
    let consent = try await browser.submit(
      login, replacing: ["username": nil, "password": nil],
      adding: [
        ("username", TestAuthorizationServer.username),
        ("password", TestAuthorizationServer.password),
      ])
    #expect(consent.status == .ok)
    #expect(try TestBrowser.form(in: consent).value("interaction") != nil)
    return consent
  }

  @Test("the forms carry only the interaction id and the CSRF token, never the request")
  func formsNameTheInteractionOnly() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      let login = try await browser.get(AuthorizeParameters().uri)
      let names = Set(try TestBrowser.form(in: login).fields.map(\.name))
      #expect(names == ["interaction", "csrf_token", "username", "password"])
    }
  }

  @Test("re-posting a used consent form issues nothing more: one code per interaction")
  func approvedFormIsSingleUse() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      let consent = try await Self.consentPage(browser, AuthorizeParameters())
      let first = try await browser.submit(consent, adding: [("decision", "approve")])
      #expect(first.status == .seeOther)
      #expect(try AuthorizationRedirect(first).query["code"] != nil)
      for decision in ["approve", "deny"] {
        let again = try await browser.submit(consent, adding: [("decision", decision)])
        #expect(again.status == .badRequest)
        #expect(again.headers[.location] == nil)
        #expect(String(buffer: again.body).contains("already completed"))
      }
    }
    #expect(try await server.allGrants().count == 1)
    #expect(try await server.auditEvents(type: "code.issued").count == 1)
  }

  @Test("after Deny, the same form with decision=approve issues nothing")
  func deniedFormCannotBeApproved() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      let consent = try await Self.consentPage(browser, AuthorizeParameters())
      let denied = try await browser.submit(consent, adding: [("decision", "deny")])
      #expect(try AuthorizationRedirect(denied).query["error"] == "access_denied")
      let approved = try await browser.submit(consent, adding: [("decision", "approve")])
      #expect(approved.status == .badRequest)
      #expect(approved.headers[.location] == nil)
    }
    #expect(try await server.allGrants().isEmpty)
    let consent = try await server.store.consent(
      userID: TestAuthorizationServer.userID, clientID: TestAuthorizationServer.clientID,
      resource: TestAuthorizationServer.resourceURL)
    #expect(consent == nil)
  }

  @Test("an interaction started in one browser cannot be decided from another")
  func anotherBrowsersFormIsRefused() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { victim in
      let victimConsent = try await Self.consentPage(victim, AuthorizeParameters())
      let victimInteraction = try #require(
        try TestBrowser.form(in: victimConsent).value("interaction"))
      // The attacker has a session and CSRF token of their own, and the victim's form id.
      let attacker = TestBrowser(client: victim.client)
      let attackerConsent = try await Self.consentPage(attacker, AuthorizeParameters())
      let response = try await attacker.submit(
        attackerConsent, replacing: ["interaction": victimInteraction],
        adding: [("decision", "approve")])
      #expect(response.status == .forbidden)
      #expect(response.headers[.location] == nil)
      #expect(String(buffer: response.body).contains("another browser"))
      // The victim's own decision still works: the attempt did not consume it.
      let own = try await victim.submit(victimConsent, adding: [("decision", "approve")])
      #expect(try AuthorizationRedirect(own).query["code"] != nil)
    }
    #expect(try await server.allGrants().count == 1)
  }

  @Test("twenty concurrent approvals of one form: exactly one code")
  func concurrentApprovalsIssueOneCode() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      let consent = try await Self.consentPage(browser, AuthorizeParameters())
      let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
        for _ in 0..<20 {
          group.addTask {
            try await browser.submit(consent, adding: [("decision", "approve")]).status
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(statuses.filter { $0 == .seeOther }.count == 1)
      #expect(statuses.filter { $0 == .badRequest }.count == 19)
    }
    #expect(try await server.allGrants().count == 1)
  }

  @Test("the login form of a completed interaction cannot be replayed for a second code")
  func completedLoginFormIsNotReplayable() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      _ = try await browser.authorize()
      // Consent is remembered now, so a correct login completes the interaction at once.
      let fresh = TestBrowser(client: browser.client)
      let page = try await fresh.get(AuthorizeParameters().uri)
      let fields: [(String, String)] = [
        ("username", TestAuthorizationServer.username),
        ("password", TestAuthorizationServer.password),
      ]
      let first = try await fresh.submit(
        page, replacing: ["username": nil, "password": nil], adding: fields)
      #expect(try AuthorizationRedirect(first).query["code"] != nil)
      let replay = try await fresh.submit(
        page, replacing: ["username": nil, "password": nil], adding: fields)
      #expect(replay.status == .badRequest)
      #expect(replay.headers[.location] == nil)
    }
    #expect(try await server.allGrants().count == 2)
  }

  @Test("an interaction expires after 10 minutes: a clear page, no redirect")
  func expiredInteraction() async throws {
    let server = try await TestAuthorizationServer()
    let clock = server.clock
    try await server.run { browser in
      let consent = try await Self.consentPage(browser, AuthorizeParameters())
      clock.advance(by: 601)
      let late = try await browser.submit(consent, adding: [("decision", "approve")])
      #expect(late.status == .badRequest)
      #expect(late.headers[.location] == nil)
      #expect(String(buffer: late.body).contains("expired"))
    }
    #expect(try await server.allGrants().isEmpty)
  }

  @Test(arguments: [nil, "", "not-an-interaction", String(repeating: "A", count: 43)])
  func missingOrForgedInteractionIsRefused(id: String?) async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      let consent = try await Self.consentPage(browser, AuthorizeParameters())
      let response = try await browser.submit(
        consent, replacing: ["interaction": id], adding: [("decision", "approve")])
      #expect(response.status == .badRequest)
      #expect(response.headers[.location] == nil)
    }
    #expect(try await server.allGrants().isEmpty)
  }
}
