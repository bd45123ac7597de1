import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyServer
import LatchkeyTestSupport
import Testing

/// OpenID Connect Core §3.1.2.1 `prompt` and `max_age`, which MCP clients send.
@Suite("Authorize: prompt and max_age")
struct AuthorizePromptTests {
  static func with(prompt: String? = nil, maxAge: String? = nil) -> AuthorizeParameters {
    var parameters = AuthorizeParameters()
    parameters.prompt = prompt
    parameters.maxAge = maxAge
    return parameters
  }

  @Test("prompt=none without a sign-in: login_required to the client, no page")
  func noneWithoutSession() async throws {
    let server = try await TestAuthorizationServer()
    let parameters = Self.with(prompt: "none")
    let redirect = try await server.run { browser in
      try AuthorizationRedirect(try await browser.get(parameters.uri))
    }
    #expect(redirect.query["error"] == "login_required")
    #expect(redirect.query["state"] == parameters.state)
    #expect(try await server.allGrants().isEmpty)
  }

  @Test("prompt=none signed in: consent_required without consent, a code with it")
  func noneWithSession() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      // Signs in, then denies: a session but no consent.
      _ = try await browser.authorizationRedirect(decision: "deny")
      let withoutConsent = try AuthorizationRedirect(
        try await browser.get(Self.with(prompt: "none").uri))
      #expect(withoutConsent.query["error"] == "consent_required")
      _ = try await browser.authorize()
      let silent = try AuthorizationRedirect(try await browser.get(Self.with(prompt: "none").uri))
      #expect(silent.query["code"] != nil)
    }
    #expect(try await server.allGrants().count == 2)
  }

  @Test("prompt=consent shows the consent page although consent is remembered")
  func consentForced() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      _ = try await browser.authorize()
      let page = try await browser.get(Self.with(prompt: "consent").uri)
      #expect(page.status == .ok)
      let form = try TestBrowser.form(in: page)
      #expect(!form.hasPasswordField)
      #expect(form.buttons.contains { $0.value == "approve" })
    }
  }

  @Test(arguments: ["login", "consent login"])
  func loginForced(prompt: String) async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      _ = try await browser.authorize()
      let page = try await browser.get(Self.with(prompt: prompt).uri)
      #expect(page.status == .ok)
      #expect(try TestBrowser.form(in: page).hasPasswordField)
      let redirect = try await browser.authorizationRedirect(Self.with(prompt: prompt))
      #expect(redirect.query["code"] != nil)
    }
  }

  @Test("max_age=0 asks for the password again; a generous max_age does not")
  func maxAge() async throws {
    let server = try await TestAuthorizationServer()
    let clock = server.clock
    try await server.run { browser in
      _ = try await browser.authorize()
      clock.advance(by: 5)
      let stale = try await browser.get(Self.with(maxAge: "0").uri)
      #expect(try TestBrowser.form(in: stale).hasPasswordField)
      let fresh = try await browser.get(Self.with(maxAge: "3600").uri)
      #expect(fresh.status == .seeOther)
      let none = try AuthorizationRedirect(
        try await browser.get(Self.with(prompt: "none", maxAge: "1").uri))
      #expect(none.query["error"] == "login_required")
    }
  }

  @Test(arguments: [
    (Optional("select_account"), String?.none), ("none login", nil), ("bogus", nil),
    (nil, "-1"), (nil, "abc"), (nil, "1.5"), (nil, "99999999999"),
  ])
  func malformedIsInvalidRequest(prompt: String?, maxAge: String?) async throws {
    let server = try await TestAuthorizationServer()
    let parameters = Self.with(prompt: prompt, maxAge: maxAge)
    let redirect = try await server.run { browser in
      try AuthorizationRedirect(try await browser.get(parameters.uri))
    }
    #expect(redirect.query["error"] == "invalid_request")
    #expect(redirect.query["state"] == parameters.state)
    #expect(try await server.allGrants().isEmpty)
  }

  @Test func rulesParseSupportedValues() {
    #expect(
      PromptRule.parse(prompt: " login  consent ", maxAge: "30")
        == .success(PromptRule.Demand(values: [.login, .consent], maxAge: 30)))
    #expect(PromptRule.parse(prompt: nil, maxAge: nil) == .success(PromptRule.Demand()))
    #expect(PromptRule.parse(prompt: "none consent", maxAge: nil) == .failure(.noneWithOthers))
    #expect(
      PromptRule.parse(prompt: "create", maxAge: nil) == .failure(.unsupportedValue("create")))
  }

  @Test func metadataListsPromptValues() async throws {
    let server = try await TestAuthorizationServer()
    let body = try await server.run { browser in
      String(buffer: try await browser.get("/.well-known/oauth-authorization-server").body)
    }
    #expect(body.contains(#""prompt_values_supported":["none","login","consent"]"#))
  }
}
