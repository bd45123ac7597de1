import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Authorize: login")
struct AuthorizeLoginTests {
  /// Opens the login page and submits it with the given credentials.
  static func logIn(_ browser: TestBrowser, username: String, password: String) async throws
    -> TestResponse
  {
    let page = try await browser.get(AuthorizeParameters().uri)
    return try await browser.submit(
      page, replacing: ["username": nil],
      adding: [("username", username), ("password", password)])
  }

  @Test("a wrong password re-renders the form with the generic message and is audited")
  func wrongPassword() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      let response = try await Self.logIn(
        browser, username: TestAuthorizationServer.username, password: "wrong")
      #expect(response.status == .ok)
      let html = String(buffer: response.body)
      #expect(html.contains("Wrong username or password."))
      #expect(!html.contains("wrong\""))
      #expect(try TestBrowser.form(in: response).hasPasswordField)
      #expect(browser.cookies["latchkey_session"] == nil)
    }
    let failures = try await server.auditEvents(type: "login.failed")
    #expect(failures.count == 1)
    #expect(failures.first?.userID == TestAuthorizationServer.userID)
    #expect(failures.first?.detail?.contains("wrong") == true)
    #expect(try await server.allGrants().isEmpty)
  }

  @Test("an unknown user and a disabled user get the same message")
  func unknownAndDisabled() async throws {
    let server = try await TestAuthorizationServer()
    try await server.addUser(
      id: "user-bob", username: "bob", password: "bob-password", disabled: true)
    try await server.run { browser in
      for (username, password) in [("mallory", "whatever"), ("bob", "bob-password")] {
        let response = try await Self.logIn(browser, username: username, password: password)
        #expect(response.status == .ok)
        #expect(String(buffer: response.body).contains("Wrong username or password."))
        #expect(browser.cookies["latchkey_session"] == nil)
      }
    }
    #expect(try await server.auditEvents(type: "login.failed").count == 2)
    #expect(try await server.auditEvents(type: "login.succeeded").isEmpty)
    #expect(try await server.allGrants().isEmpty)
  }

  @Test("failed logins are throttled per account, then the window passes and success resets")
  func throttling() async throws {
    let server = try await TestAuthorizationServer()
    let clock = server.clock
    try await server.run { browser in
      for _ in 0..<5 {
        let response = try await Self.logIn(
          browser, username: TestAuthorizationServer.username, password: "typo")
        #expect(response.status == .ok)
      }
      // Inside the window even the right password is refused, with the same words.
      let refused = try await Self.logIn(
        browser, username: TestAuthorizationServer.username,
        password: TestAuthorizationServer.password)
      #expect(refused.status == .tooManyRequests)
      let html = String(buffer: refused.body)
      #expect(html.contains("Wrong username or password."))
      #expect(html.contains("Try again later."))
      #expect(browser.cookies["latchkey_session"] == nil)

      clock.advance(by: 1.5)
      let accepted = try await Self.logIn(
        browser, username: TestAuthorizationServer.username,
        password: TestAuthorizationServer.password)
      #expect(accepted.status == .ok)
      #expect(browser.cookies["latchkey_session"] != nil)

      // The counter was reset: the next typo is not refused.
      browser.setCookie("latchkey_session", nil)
      let typo = try await Self.logIn(
        browser, username: TestAuthorizationServer.username, password: "typo")
      #expect(typo.status == .ok)
    }
    #expect(try await server.auditEvents(type: "login.throttled").count == 1)
    #expect(try await server.auditEvents(type: "login.failed").count == 6)
  }

  @Test("another account is not throttled by someone else's failures")
  func perAccount() async throws {
    let server = try await TestAuthorizationServer()
    try await server.addUser(id: "user-carol", username: "carol", password: "carol-password")
    try await server.run { browser in
      for _ in 0..<7 {
        _ = try await Self.logIn(browser, username: "carol", password: "nope")
      }
      let alice = try await Self.logIn(
        browser, username: TestAuthorizationServer.username,
        password: TestAuthorizationServer.password)
      #expect(alice.status == .ok)
      #expect(browser.cookies["latchkey_session"] != nil)
    }
  }
}
