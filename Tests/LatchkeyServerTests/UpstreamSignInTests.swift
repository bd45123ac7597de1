import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyFetch
import LatchkeyJOSE
import LatchkeyServer
import LatchkeyTestSupport
import Testing

/// Sign-in through an upstream OpenID provider (issue 23, first slice), end to end through
/// Latchkey's pages: login page button → provider (`StubOpenIDProvider` on a real socket,
/// standing in for django-oauth-toolkit) → callback → consent → code → token; and every
/// refusal a clear page or the right OAuth error with nothing issued. Serialized: each test
/// runs a live provider and URLSession fetches, which should not crowd the other live tests.
@Suite("identity providers: sign-in through an OpenID provider", .serialized)
struct UpstreamSignInTests {
  /// Latchkey with the stub as provider `stub`, its secret in a file.
  static func server(
    issuer: String, local: Bool = true, store: any LatchkeyStore = InMemoryStore(),
    adjust: (inout IdentityProviderConfiguration) -> Void = { _ in }
  ) async throws -> TestAuthorizationServer {
    var server = try await TestAuthorizationServer(store: store)
    let secretFile = FileManager.default.temporaryDirectory
      .appendingPathComponent("latchkey-idp-\(SecureRandom.token(byteCount: 8))").path
    try (StubOpenIDProvider.clientSecret + "\n").write(
      toFile: secretFile, atomically: true, encoding: .utf8)
    LeakScan.record([StubOpenIDProvider.clientSecret])
    var provider = IdentityProviderConfiguration(
      id: "stub", displayName: "Stub ID", issuer: issuer, clientID: StubOpenIDProvider.clientID,
      clientSecretFile: secretFile)
    adjust(&provider)
    server.configuration.identityProviders = [provider]
    server.configuration.localAccounts = local
    return server
  }

  static let fetcher = URLSessionHTTPFetcher(allowPrivateAddresses: true)

  /// GET /authorize, press the provider's button; returns the redirect to the provider.
  static func pressButton(_ browser: TestBrowser, _ parameters: AuthorizeParameters)
    async throws -> String
  {
    let page = try await browser.get(parameters.uri)
    let html = String(buffer: page.body)
    #expect(html.contains("Sign in with Stub ID"))
    let form = try TestBrowser.form(in: page)
    let response = try await browser.post(
      form.action,
      form: [
        ("interaction", form.value("interaction") ?? ""),
        ("csrf_token", form.value("csrf_token") ?? ""), ("provider", "stub"),
      ])
    #expect(response.status == .seeOther)
    return try #require(response.headers[.location])
  }

  /// The provider's answer: the callback path and query Latchkey's browser must GET.
  static func visitProvider(_ stub: StubOpenIDProvider, _ location: String) async throws
    -> String
  {
    let back = try #require(URLComponents(string: try await stub.visit(location)))
    return back.path + "?" + (back.percentEncodedQuery ?? "")
  }

  /// The whole walk up to the callback's response.
  static func callback(
    _ stub: StubOpenIDProvider, _ browser: TestBrowser,
    _ parameters: AuthorizeParameters = AuthorizeParameters()
  ) async throws -> TestResponse {
    let location = try await pressButton(browser, parameters)
    return try await browser.get(try await visitProvider(stub, location))
  }

  @Test func signInLinksAUserAndContinuesToConsentCodeAndToken() async throws {
    let clock = FixedClock(Fixtures.epoch)
    let stub = try StubOpenIDProvider { Int64(clock.now().timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer)
      try await server.run(fetcher: Self.fetcher) { browser in
        let parameters = AuthorizeParameters()
        let location = try await Self.pressButton(browser, parameters)
        let upstream = try #require(URLComponents(string: location))
        let query = Dictionary(
          (upstream.queryItems ?? []).map { ($0.name, $0.value ?? "") },
          uniquingKeysWith: { a, _ in a })
        #expect(location.hasPrefix(issuer + "/authorize?"))
        #expect(query["redirect_uri"] == "https://auth.example.com/callback/stub")
        #expect(
          query["code_challenge_method"] == "S256" && query["scope"] == "openid email profile")
        #expect(query["state"]?.count == 43 && query["nonce"]?.count == 43)
        let consent = try await browser.get(try await Self.visitProvider(stub, location))
        #expect(consent.status == .ok)
        let page = String(buffer: consent.body)
        #expect(page.contains("ada@example.com"))
        let redirect = try AuthorizationRedirect(
          try await browser.submit(consent, adding: [("decision", "approve")]))
        let code = try #require(redirect.query["code"])
        let tokens = try await browser.redeem(code: code, parameters)
        #expect(tokens.status == .ok)
        let requests = stub.tokenRequests.withLock { $0 }
        #expect(requests.count == 1 && requests.first?["grant_type"] == "authorization_code")
        #expect(requests.first?["client_secret"] == nil)
        #expect(requests.first?["authorization_header"] == "yes")
      }
      let users = try await server.store.users()
      let user = try #require(users.first { $0.username == "ada@example.com" })
      #expect(user.id.hasPrefix("idp_stub_") && user.passwordHash == "!upstream")
      let links = try await server.store.userIdentities(userID: user.id)
      #expect(links.map(\.provider) == ["stub"] && links.map(\.subject) == ["upstream-subject-42"])
      #expect(try await server.allGrants().count == 1)
      let events = try await server.auditEvents(type: "login.succeeded")
      #expect(
        events.contains {
          $0.userID == user.id
            && $0.detail == "provider stub: signed in as subject upstream-subject-42"
        })
      // The linked user has no password: the password form cannot sign them in.
      try await server.run { browser in
        let redirect = try? await browser.authorizationRedirect(
          username: "ada@example.com", password: "!upstream")
        #expect(redirect == nil)
      }
    }
  }

  @Test func clientSecretPostSendsTheSecretInTheForm() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer) {
        $0.tokenEndpointAuthMethod = .clientSecretPost
      }
      try await server.run(fetcher: Self.fetcher) { browser in
        let response = try await Self.callback(stub, browser)
        #expect(response.status == .ok)
      }
      let request = try #require(stub.tokenRequests.withLock { $0.first })
      #expect(request["authorization_header"] == "no")
      #expect(request["client_id"] == StubOpenIDProvider.clientID)
      #expect(request["client_secret"] == StubOpenIDProvider.clientSecret)
    }
  }

  @Test func userinfoCompletesAnIDTokenWithoutEmailOrGroups() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    stub.shape.claimsOnlyInUserinfo = true
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer) {
        $0.allowedEmailDomains = ["example.com"]
        $0.allowedGroups = ["mcp-users"]
      }
      try await server.run(fetcher: Self.fetcher) { browser in
        let response = try await Self.callback(stub, browser)
        #expect(response.status == .ok)
        #expect(String(buffer: response.body).contains("ada@example.com"))
      }
      #expect(stub.userinfoRequests.withLock { $0 } == 1)
      // A userinfo answer about another subject is not used (OpenID Connect Core §5.3.2).
      stub.shape.userinfoSubject = "someone-else"
      try await server.run(fetcher: Self.fetcher) { browser in
        let response = try await Self.callback(stub, browser)
        #expect(response.status == .badGateway)
      }
      let refused = try await server.auditEvents(type: "login.upstream_refused")
      #expect(refused.map(\.detail) == ["provider stub: userinfo refused: subject mismatch"])
    }
  }

  @Test func aSecondSignInFindsTheSameUser() async throws {
    let clock = FixedClock(Fixtures.epoch)
    let stub = try StubOpenIDProvider { Int64(clock.now().timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer)
      for _ in 0..<2 {
        try await server.run(fetcher: Self.fetcher) { browser in
          let response = try await Self.callback(stub, browser)
          #expect(response.status == .ok)
        }
      }
      #expect(try await server.store.users().filter { $0.id.hasPrefix("idp_") }.count == 1)
    }
  }

  @Test func aLinkedLocalUserSignsInAsThemselves() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer) { $0.createUsers = false }
      try await server.store.insertUserIdentity(
        UserIdentity(
          provider: "stub", subject: stub.shape.subject, userID: TestAuthorizationServer.userID,
          createdAt: Fixtures.epoch))
      try await server.run(fetcher: Self.fetcher) { browser in
        let consent = try await Self.callback(stub, browser)
        #expect(consent.status == .ok)
        #expect(String(buffer: consent.body).contains(TestAuthorizationServer.username))
      }
      #expect(try await server.store.users().count == 1)
    }
  }

  @Test func theProvidersKeyRotationIsFollowed() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer)
      try await server.run(fetcher: Self.fetcher) { browser in
        #expect(try await Self.callback(stub, browser).status == .ok)
        try stub.rotateKey()
        // The cached set is kept at least 30 s before a token naming an unknown key forces a
        // refetch (no fetch storm from forged kids): until then the new key is unknown.
        let early = try await Self.callback(stub, TestBrowser(client: browser.client))
        #expect(early.status == .badGateway)
        server.clock.advance(by: 31)
        let later = try await Self.callback(stub, TestBrowser(client: browser.client))
        #expect(later.status == .ok)
      }
    }
  }

  @Test func aDiscoveryDocumentNamingAnotherIssuerIsRefused() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    stub.claimedIssuer = "https://idp.example.com"
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer)
      try await server.run(fetcher: Self.fetcher) { browser in
        let page = try await browser.get(AuthorizeParameters().uri)
        let form = try TestBrowser.form(in: page)
        let response = try await browser.post(
          form.action,
          form: [
            ("interaction", form.value("interaction") ?? ""),
            ("csrf_token", form.value("csrf_token") ?? ""), ("provider", "stub"),
          ])
        #expect(response.status == .badGateway)
        #expect(response.headers[.location] == nil)
      }
    }
  }

  @Test func aCallbackInAnotherBrowserIsRefused() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer)
      try await server.run(fetcher: Self.fetcher) { browser in
        let location = try await Self.pressButton(browser, AuthorizeParameters())
        let back = try await Self.visitProvider(stub, location)
        // The attacker's browser has its own CSRF cookie, and even the victim's upstream
        // cookie does not make the interaction its own.
        let other = TestBrowser(client: browser.client)
        _ = try await other.get(AuthorizeParameters().uri)
        other.setCookie("latchkey_upstream", browser.cookies["latchkey_upstream"])
        let response = try await other.get(back)
        #expect(response.status == .forbidden)
        #expect(String(buffer: response.body).contains("another browser"))
      }
      #expect(try await server.allGrants().isEmpty)
    }
  }

  @Test func aDisabledLinkedUserIsRefused() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer)
      try await server.addUser(
        id: "u-dora", username: "dora", password: "dora-password-1", disabled: true)
      try await server.store.insertUserIdentity(
        UserIdentity(
          provider: "stub", subject: stub.shape.subject, userID: "u-dora",
          createdAt: Fixtures.epoch))
      try await server.run(fetcher: Self.fetcher) { browser in
        let response = try await Self.callback(stub, browser)
        #expect(response.status == .forbidden)
      }
      #expect(try await server.allGrants().isEmpty)
      let refused = try await server.auditEvents(type: "login.refused_by_provider_rule")
      #expect(refused.map(\.detail) == ["provider stub: user disabled"])
      #expect(refused.map(\.userID) == ["u-dora"])
    }
  }

  @Test func aWrongStateIsAPageAndNothingIsIssued() async throws {
    let clock = FixedClock(Fixtures.epoch)
    let stub = try StubOpenIDProvider { Int64(clock.now().timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer)
      try await server.run(fetcher: Self.fetcher) { browser in
        let location = try await Self.pressButton(browser, AuthorizeParameters())
        let back = try await Self.visitProvider(stub, location)
        let forged = back.replacingOccurrences(of: "state=", with: "state=x")
        let response = try await browser.get(forged)
        #expect(response.status == .badRequest)
        #expect(String(buffer: response.body).contains("Sign-in not recognised"))
      }
      #expect(try await server.allGrants().isEmpty)
      #expect(try await server.auditEvents(type: "login.upstream_refused").count == 1)
    }
  }

  @Test func aReplayedCallbackIsRefused() async throws {
    let clock = FixedClock(Fixtures.epoch)
    let stub = try StubOpenIDProvider { Int64(clock.now().timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer)
      try await server.run(fetcher: Self.fetcher) { browser in
        let location = try await Self.pressButton(browser, AuthorizeParameters())
        let back = try await Self.visitProvider(stub, location)
        let cookie = try #require(browser.cookies["latchkey_upstream"])
        #expect(try await browser.get(back).status == .ok)
        browser.setCookie("latchkey_upstream", cookie)
        let replay = try await browser.get(back)
        #expect(replay.status == .badRequest)
        #expect(String(buffer: replay.body).contains("already completed"))
      }
    }
  }

  @Test func anExpiredSignInIsRefused() async throws {
    let clock = FixedClock(Fixtures.epoch)
    let stub = try StubOpenIDProvider { Int64(clock.now().timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer)
      try await server.run(fetcher: Self.fetcher) { browser in
        let location = try await Self.pressButton(browser, AuthorizeParameters())
        let back = try await Self.visitProvider(stub, location)
        server.clock.advance(by: 601)
        let response = try await browser.get(back)
        #expect(response.status == .badRequest)
        #expect(String(buffer: response.body).contains("expired"))
      }
      #expect(try await server.allGrants().isEmpty)
    }
  }

  enum BadIDToken: String, CaseIterable, Sendable {
    case wrongAudience, wrongIssuer, wrongNonce, expired, algorithmNone, unknownKey
    case severalAudiencesWithoutUs

    /// The reason the audit trail gives.
    var reason: String {
      switch self {
      case .wrongAudience, .severalAudiencesWithoutUs: "wrong audience"
      case .wrongIssuer: "wrong issuer"
      case .wrongNonce: "wrong nonce"
      case .expired: "expired"
      case .algorithmNone: "algorithm not allowed"
      case .unknownKey: "unknown key"
      }
    }

    func apply(_ shape: inout StubOpenIDProvider.IDTokenShape) {
      switch self {
      case .wrongAudience: shape.audience = ["someone-else"]
      case .wrongIssuer: shape.issuer = "https://evil.example.com"
      case .wrongNonce: shape.nonce = SecureRandom.token()
      case .expired: shape.expiresIn = -120
      case .algorithmNone: shape.algorithmNone = true
      case .unknownKey: shape.unknownKey = true
      case .severalAudiencesWithoutUs: shape.audience = ["a", "b"]
      }
    }
  }

  @Test(arguments: BadIDToken.allCases)
  func aBadIDTokenSignsNobodyIn(_ bad: BadIDToken) async throws {
    let clock = FixedClock(Fixtures.epoch)
    let stub = try StubOpenIDProvider { Int64(clock.now().timeIntervalSince1970) }
    bad.apply(&stub.shape)
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer)
      try await server.run(fetcher: Self.fetcher) { browser in
        let response = try await Self.callback(stub, browser)
        #expect(response.status == .badGateway)
        let body = String(buffer: response.body)
        #expect(body.contains("Sign-in not accepted") && !body.contains("eyJ"))
      }
      #expect(try await server.allGrants().isEmpty)
      #expect(try await server.store.users().allSatisfy { !$0.id.hasPrefix("idp_") })
      let refused = try await server.auditEvents(type: "login.upstream_refused")
      #expect(refused.count == 1)
      #expect(refused.first?.detail == "provider stub: id_token refused: \(bad.reason)")
    }
  }

  @Test func anEmailDomainNotAllowedOrAMissingGroupIsRefused() async throws {
    let clock = FixedClock(Fixtures.epoch)
    let stub = try StubOpenIDProvider { Int64(clock.now().timeIntervalSince1970) }
    try await stub.run { issuer in
      for rule in ["domain", "group"] {
        let server = try await Self.server(issuer: issuer) { provider in
          if rule == "domain" { provider.allowedEmailDomains = ["corp.example"] }
          if rule == "group" { provider.allowedGroups = ["mcp-admins"] }
        }
        try await server.run(fetcher: Self.fetcher) { browser in
          let response = try await Self.callback(stub, browser)
          #expect(response.status == .forbidden)
          #expect(String(buffer: response.body).contains("Not allowed"))
        }
        #expect(try await server.allGrants().isEmpty)
        let refused = try await server.auditEvents(type: "login.refused_by_provider_rule")
        #expect(refused.count == 1)
      }
    }
  }

  @Test func withoutJustInTimeCreationAnUnknownUserIsRefused() async throws {
    let clock = FixedClock(Fixtures.epoch)
    let stub = try StubOpenIDProvider { Int64(clock.now().timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer) { $0.createUsers = false }

      try await server.run(fetcher: Self.fetcher) { browser in
        let response = try await Self.callback(stub, browser)
        #expect(response.status == .forbidden)
      }
      #expect(try await server.store.users().allSatisfy { !$0.id.hasPrefix("idp_") })
    }
  }

  @Test(arguments: [
    ("access_denied", "access_denied"), ("login_required", "access_denied"),
    ("temporarily_unavailable", "temporarily_unavailable"),
  ])
  func anUpstreamErrorEndsTheInteractionWithAnOAuthError(upstream: String, expected: String)
    async throws
  {
    let clock = FixedClock(Fixtures.epoch)
    let stub = try StubOpenIDProvider { Int64(clock.now().timeIntervalSince1970) }
    stub.authorizationError = upstream
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer)
      try await server.run(fetcher: Self.fetcher) { browser in
        let parameters = AuthorizeParameters()
        let response = try await Self.callback(stub, browser, parameters)
        let redirect = try AuthorizationRedirect(response)
        #expect(redirect.target == TestAuthorizationServer.redirectURI)
        #expect(redirect.query["error"] == expected && redirect.query["state"] == parameters.state)
        #expect(redirect.query["code"] == nil)
      }
      #expect(try await server.allGrants().isEmpty)
    }
  }

  @Test func withoutLocalAccountsThereIsNoPasswordForm() async throws {
    let clock = FixedClock(Fixtures.epoch)
    let stub = try StubOpenIDProvider { Int64(clock.now().timeIntervalSince1970) }
    try await stub.run { issuer in
      var server = try await Self.server(issuer: issuer, local: false)
      var second = server.configuration.identityProviders[0]
      second.id = "second"
      server.configuration.identityProviders.append(second)
      try await server.run(fetcher: Self.fetcher) { browser in
        let page = try await browser.get(AuthorizeParameters().uri)
        let form = try TestBrowser.form(in: page)
        #expect(!form.hasPasswordField && form.value("provider") == "stub")
        let refused = try await browser.post(
          form.action,
          form: [
            ("interaction", form.value("interaction") ?? ""),
            ("csrf_token", form.value("csrf_token") ?? ""),
            ("username", TestAuthorizationServer.username),
            ("password", TestAuthorizationServer.password),
          ])
        #expect(refused.status == .badRequest)
      }
      #expect(try await server.allGrants().isEmpty)
    }
  }

  @Test func aProviderParameterOrASingleProviderSkipsTheLoginPage() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      for local in [true, false] {
        let server = try await Self.server(issuer: issuer, local: local)
        try await server.run(fetcher: Self.fetcher) { browser in
          let parameters = AuthorizeParameters()
          let uri = parameters.uri + (local ? "&provider=stub" : "")
          let response = try await browser.get(uri)
          #expect(response.status == .seeOther)
          let location = try #require(response.headers[.location])
          #expect(location.hasPrefix(issuer + "/authorize?"))
          #expect(browser.cookies["latchkey_csrf"] != nil)
          let consent = try await browser.get(try await Self.visitProvider(stub, location))
          #expect(consent.status == .ok)
          let redirect = try AuthorizationRedirect(
            try await browser.submit(consent, adding: [("decision", "approve")]))
          #expect(redirect.query["code"] != nil)
        }
      }
    }
  }
}
