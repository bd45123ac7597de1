import Foundation
import HTTPTypes
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyTestSupport
import Testing

@testable import LatchkeyServer

/// `login_hint` (OpenID Connect Core §3.1.2.1) from the MCP client's authorization request:
/// passed on to the provider — straight away or after the login page's button — and, without
/// a `provider` parameter, an email hint whose domain exactly one provider allows goes
/// straight to that provider.
@Suite("identity providers: login_hint and choosing a provider", .serialized)
struct UpstreamLoginHintTests {
  /// The stub as two providers: `stub` for example.com, `other` for corp.example.
  static func twoProviders(issuer: String) async throws -> TestAuthorizationServer {
    var server = try await UpstreamSignInTests.server(issuer: issuer) {
      $0.allowedEmailDomains = ["example.com"]
    }
    var other = server.configuration.identityProviders[0]
    other.id = "other"
    other.displayName = "Other"
    other.allowedEmailDomains = ["corp.example", "Example.org"]
    server.configuration.identityProviders.append(other)
    return server
  }

  static func hinted(_ hint: String, provider: String? = nil) -> String {
    AuthorizeParameters().uri + "&login_hint=" + FormEncoding.encode([("", hint)]).dropFirst()
      + (provider.map { "&provider=" + $0 } ?? "")
  }

  static func loginHint(_ location: String) throws -> String? {
    try UpstreamPresetSignInTests.query(location)["login_hint"]
  }

  @Test func theHintGoesToTheProviderTheEmailDomainPicks() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.twoProviders(issuer: issuer)
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let response = try await browser.get(Self.hinted("Ada@Example.com"))
        #expect(response.status == .seeOther)
        let location = try #require(response.headers[.location])
        #expect(location.hasPrefix(issuer + "/authorize?"))
        #expect(try Self.loginHint(location) == "Ada@Example.com")
        let consent = try await browser.get(
          try await UpstreamSignInTests.visitProvider(stub, location))
        #expect(consent.status == .ok)
        let redirect = try AuthorizationRedirect(
          try await browser.submit(consent, adding: [("decision", "approve")]))
        #expect(redirect.query["code"] != nil)
      }
      // The link says which provider was used: `stub`, the one for example.com.
      #expect(
        try await server.store.userIdentity(provider: "stub", subject: "upstream-subject-42")
          != nil)
      // The other provider's domain (compared without case) picks the other one.
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let response = try await browser.get(Self.hinted("bob@example.ORG"))
        let location = try #require(response.headers[.location])
        let back = try await UpstreamSignInTests.visitProvider(stub, location)
        #expect(back.hasPrefix("/callback/other?"))
      }
    }
  }

  @Test(arguments: [
    "ada@unknown.example", "not-an-email", "@example.com", "a@b@example.com", "ada@",
  ])
  func aHintThatPicksNoProviderShowsTheLoginPage(hint: String) async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.twoProviders(issuer: issuer)
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let page = try await browser.get(Self.hinted(hint))
        #expect(page.status == .ok)
        #expect(String(buffer: page.body).contains("Sign in with Stub ID"))
      }
    }
  }

  @Test func aDomainTwoProvidersAllowShowsTheLoginPage() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      var server = try await Self.twoProviders(issuer: issuer)
      server.configuration.identityProviders[1].allowedEmailDomains = ["example.com"]
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let page = try await browser.get(Self.hinted("ada@example.com"))
        #expect(page.status == .ok)
        // Pressing a button still passes the hint on (it is kept with the interaction).
        let form = try TestBrowser.form(in: page)
        let response = try await browser.post(
          form.action,
          form: [
            ("interaction", form.value("interaction") ?? ""),
            ("csrf_token", form.value("csrf_token") ?? ""), ("provider", "other"),
          ])
        let location = try #require(response.headers[.location])
        #expect(try Self.loginHint(location) == "ada@example.com")
      }
    }
  }

  @Test func theProviderParameterWinsOverTheHint() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.twoProviders(issuer: issuer)
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let response = try await browser.get(Self.hinted("ada@example.com", provider: "other"))
        let location = try #require(response.headers[.location])
        #expect(try Self.loginHint(location) == "ada@example.com")
        let back = try await UpstreamSignInTests.visitProvider(stub, location)
        #expect(back.hasPrefix("/callback/other?"))
      }
    }
  }

  @Test func anOverlongHintIsIgnoredAndAControlCharacterRefused() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.twoProviders(issuer: issuer)
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let long = String(repeating: "a", count: 250) + "@example.com"
        let page = try await browser.get(Self.hinted(long))
        #expect(page.status == .ok)
        let form = try TestBrowser.form(in: page)
        let response = try await browser.post(
          form.action,
          form: [
            ("interaction", form.value("interaction") ?? ""),
            ("csrf_token", form.value("csrf_token") ?? ""), ("provider", "stub"),
          ])
        let location = try #require(response.headers[.location])
        #expect(try Self.loginHint(location) == nil)
        let refused = try await browser.get(Self.hinted("ada@example.com\u{0}x"))
        #expect(refused.status == .badRequest)
        #expect(String(buffer: refused.body).contains("login_hint holds a control character"))
      }
      #expect(try await server.allGrants().isEmpty)
    }
  }

  @Test func choosingIsAPureRule() {
    var a = IdentityProviderConfiguration(
      id: "a", issuer: "https://a.example", clientID: "x", clientSecretEnv: "S")
    a.allowedEmailDomains = ["a.example"]
    var b = a
    b.id = "b"
    b.allowedEmailDomains = ["b.example"]
    let direct = { (requested: String?, hint: String?, local: Bool) in
      UpstreamProviderChoice.direct(
        requested: requested, loginHint: hint, providers: [a, b], localAccounts: local)
    }
    #expect(direct("b", "x@a.example", true) == "b")
    #expect(direct("nope", "x@a.example", true) == "a")
    #expect(direct(nil, "x@B.EXAMPLE", true) == "b")
    #expect(direct(nil, "x@c.example", false) == nil)
    #expect(direct(nil, nil, true) == nil)
    #expect(
      UpstreamProviderChoice.direct(
        requested: nil, loginHint: "x@c.example", providers: [a], localAccounts: false) == "a")
  }
}
