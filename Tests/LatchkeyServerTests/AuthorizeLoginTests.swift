import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
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

/// Security review (issue 21) §4: the back-off must not let anyone lock the owner out
/// (OWASP ASVS 2.2.1, "device cookies").
@Suite("Authorize: login back-off without owner lockout")
struct LoginLockoutTests {
  /// A server trusting the loopback test proxy, so `X-Forwarded-For` sets each browser's source.
  static func server() async throws -> TestAuthorizationServer {
    var server = try await TestAuthorizationServer()
    server.configuration.trustedProxies = ["127.0.0.1", "::1"]
    return server
  }

  static func attempt(_ browser: TestBrowser, _ username: String, _ password: String)
    async throws -> TestResponse
  {
    try await AuthorizeLoginTests.logIn(browser, username: username, password: password)
  }

  @Test("an attacker's failures from many sources do not stop the owner's trusted browser")
  func trustedBrowserIsNotLockedOut() async throws {
    let server = try await Self.server()
    let alice = TestAuthorizationServer.username
    let password = TestAuthorizationServer.password
    try await server.run(.live) { seed in
      let owner = TestBrowser(client: seed.client, forwardedFor: "203.0.113.10")
      _ = try await owner.authorize()
      #expect(owner.cookies["latchkey_device"] != nil)
      owner.setCookie("latchkey_session", nil)
      // Five attacking sources, two wrong passwords each: no per-source window opens, but the
      // tenth failure opens the account-wide one.
      for host in 1...5 {
        let attacker = TestBrowser(client: seed.client, forwardedFor: "198.51.100.\(host)")
        for _ in 0..<2 {
          #expect(try await Self.attempt(attacker, alice, "guess").status == .ok)
        }
      }
      // An untrusted browser is slowed by the account-wide limit, right password or not...
      let stranger = TestBrowser(client: seed.client, forwardedFor: "192.0.2.99")
      #expect(try await Self.attempt(stranger, alice, password).status == .tooManyRequests)
      // ...the owner's browser, which signed in before, is not.
      let signedIn = try await Self.attempt(owner, alice, password)
      #expect(signedIn.status == .seeOther)
      #expect(owner.cookies["latchkey_session"] != nil)
    }
    let lockouts = try await server.auditEvents(type: "login.lockout")
    #expect(lockouts.contains { $0.detail?.hasPrefix("limit account ") == true })
    let throttled = try await server.auditEvents(type: "login.throttled")
    #expect(throttled.map(\.detail) == ["limit account"])
  }

  @Test("brute force from one source is still throttled, and audited as a lockout")
  func bruteForceFromOneSourceIsThrottled() async throws {
    let server = try await Self.server()
    try await server.run(.live) { seed in
      let attacker = TestBrowser(client: seed.client, forwardedFor: "198.51.100.7")
      for _ in 0..<5 {
        #expect(
          try await Self.attempt(attacker, TestAuthorizationServer.username, "guess").status == .ok)
      }
      let refused = try await Self.attempt(
        attacker, TestAuthorizationServer.username, TestAuthorizationServer.password)
      #expect(refused.status == .tooManyRequests)
      #expect(attacker.cookies["latchkey_session"] == nil)
      // Another source is not slowed by this one's window.
      let other = TestBrowser(client: seed.client, forwardedFor: "203.0.113.20")
      let fine = try await Self.attempt(
        other, TestAuthorizationServer.username, TestAuthorizationServer.password)
      #expect(fine.status == .ok)
    }
    let lockouts = try await server.auditEvents(type: "login.lockout")
    #expect(lockouts.map(\.detail) == ["limit account_source for 1 s"])
    #expect(lockouts.first?.sourceAddress == "198.51.100.7")
  }

  @Test("password spraying from one source across accounts is throttled per source")
  func sprayingIsThrottledPerSource() async throws {
    let server = try await Self.server()
    try await server.run(.live) { seed in
      let sprayer = TestBrowser(client: seed.client, forwardedFor: "198.51.100.9")
      for index in 0..<20 {
        #expect(try await Self.attempt(sprayer, "user\(index)", "Summer2026!").status == .ok)
      }
      let next = try await Self.attempt(
        sprayer, TestAuthorizationServer.username, TestAuthorizationServer.password)
      #expect(next.status == .tooManyRequests)
    }
    #expect(
      try await server.auditEvents(type: "login.throttled").map(\.detail) == ["limit source"])
  }

  @Test("a trusted browser keeps a limit of its own")
  func trustedBrowserHasItsOwnLimit() async throws {
    let server = try await Self.server()
    try await server.run(.live) { seed in
      let owner = TestBrowser(client: seed.client, forwardedFor: "203.0.113.10")
      _ = try await owner.authorize()
      owner.setCookie("latchkey_session", nil)
      for _ in 0..<10 {
        #expect(
          try await Self.attempt(owner, TestAuthorizationServer.username, "typo").status == .ok)
      }
      let refused = try await Self.attempt(
        owner, TestAuthorizationServer.username, TestAuthorizationServer.password)
      #expect(refused.status == .tooManyRequests)
    }
    #expect(
      try await server.auditEvents(type: "login.throttled").map(\.detail) == [
        "limit trusted_device"
      ])
  }

  @Test func rulePicksCountersByTrust() {
    let untrusted = LoginBackoffRule.counters(
      username: "Alice", source: "1.2.3.4", trustedDevice: nil)
    #expect(untrusted.map(\.limit) == [.accountFromSource, .sourceWide, .accountWide])
    #expect(untrusted.map(\.key) == ["pair:1.2.3.4 alice", "source:1.2.3.4", "account:alice"])
    let trusted = LoginBackoffRule.counters(
      username: "alice", source: "1.2.3.4", trustedDevice: "d")
    #expect(trusted.map(\.limit) == [.trustedDevice])
    #expect(
      LoginBackoffRule.clearedOnSuccess(untrusted).map(\.limit) == [
        .accountFromSource, .accountWide,
      ])
    #expect(LoginBackoffRule.Policy.sourceWide.window(afterFailures: 19) == nil)
    #expect(LoginBackoffRule.Policy.sourceWide.window(afterFailures: 20) == 1)
    #expect(LoginBackoffRule.Policy.sourceWide.window(afterFailures: 40) == 900)
  }
}
