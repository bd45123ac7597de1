import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Authorize: CSRF")
struct AuthorizeCSRFTests {
  /// Logs in and returns the consent page.
  static func consentPage(_ browser: TestBrowser) async throws -> TestResponse {
    let login = try await browser.get(AuthorizeParameters().uri)
    return try await browser.submit(
      login, replacing: ["username": nil],
      adding: [
        ("username", TestAuthorizationServer.username),
        ("password", TestAuthorizationServer.password),
      ])
  }

  @Test("a consent POST without or with a wrong token is a 403 page; nothing is issued")
  func consentRefused() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      let consent = try await Self.consentPage(browser)
      #expect(consent.status == .ok)
      let missing = try await browser.submit(
        consent, replacing: ["csrf_token": nil], adding: [("decision", "approve")])
      #expect(missing.status == .forbidden)
      #expect(missing.headers[.location] == nil)
      let wrong = try await browser.submit(
        consent, replacing: ["csrf_token": String(repeating: "A", count: 43)],
        adding: [("decision", "approve")])
      #expect(wrong.status == .forbidden)
      // Without the cookie (a cross-site POST would not carry it) the form token alone fails.
      browser.setCookie("latchkey_csrf", nil)
      let noCookie = try await browser.submit(consent, adding: [("decision", "approve")])
      #expect(noCookie.status == .forbidden)
    }
    #expect(try await server.allGrants().isEmpty)
    #expect(try await server.auditEvents(type: "code.issued").isEmpty)
    #expect(try await server.auditEvents(type: "consent.granted").isEmpty)
  }

  @Test("a login POST without the token is a 403 page and no session starts")
  func loginRefused() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      let login = try await browser.get(AuthorizeParameters().uri)
      let response = try await browser.submit(
        login, replacing: ["username": nil, "csrf_token": nil],
        adding: [
          ("username", TestAuthorizationServer.username),
          ("password", TestAuthorizationServer.password),
        ])
      #expect(response.status == .forbidden)
      #expect(browser.cookies["latchkey_session"] == nil)
    }
    #expect(try await server.auditEvents(type: "login.succeeded").isEmpty)
  }
}
