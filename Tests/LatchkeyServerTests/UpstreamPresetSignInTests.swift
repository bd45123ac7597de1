import Foundation
import HTTPTypes
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyTestSupport
import Testing

@testable import LatchkeyServer

/// Presets end to end through the stub provider on a real socket: Entra ID's `{tenantid}`
/// issuer template (accepted only for `common`/`organizations`, each id_token's `iss` checked
/// against the template with its own `tid`), Google's `hd` and Auth0's `audience` on the
/// authorization request.
@Suite("identity providers: presets signing in", .serialized)
struct UpstreamPresetSignInTests {
  static let tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
  static let otherTenant = "00000000-0000-0000-0000-000000000001"

  /// The stub as an Entra ID instance: discovery under `/<tenant>/v2.0/` claiming the
  /// template, id_tokens with `tid` and the tenant's issuer.
  static func entra(
    _ stub: StubOpenIDProvider, issuer: String, tenant: String, allowed: [String] = []
  ) async throws -> TestAuthorizationServer {
    stub.claimedIssuer = issuer + "/{tenantid}/v2.0"
    stub.shape.issuer = issuer + "/\(Self.tenant)/v2.0"
    stub.shape.extraClaims = ["tid": Self.tenant]
    return try await UpstreamSignInTests.server(issuer: issuer) { provider in
      provider.preset = .entra
      provider.tenant = tenant
      provider.instance = issuer
      provider.allowedTenants = allowed
      provider.issuer = provider.presetIssuer ?? ""
    }
  }

  static func query(_ location: String) throws -> [String: String] {
    let components = try #require(URLComponents(string: location))
    return Dictionary(
      (components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
      uniquingKeysWith: { first, _ in first })
  }

  @Test(arguments: ["organizations", "common"])
  func entraMultiTenantAcceptsTheTemplateWithTheTokensTenant(tenant: String) async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.entra(stub, issuer: issuer, tenant: tenant)
      #expect(server.configuration.identityProviders[0].issuer == issuer + "/\(tenant)/v2.0")
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let consent = try await UpstreamSignInTests.callback(stub, browser)
        #expect(consent.status == .ok)
      }
      // Linked by tenant and subject: `iss` varies by tenant (OpenID Connect Core §5.7).
      let link = try await server.store.userIdentity(
        provider: "stub", subject: "\(Self.tenant)/upstream-subject-42")
      #expect(link != nil)
      // A token whose `iss` names another tenant than its `tid` signs nobody in.
      stub.shape.issuer = issuer + "/\(Self.otherTenant)/v2.0"
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let refused = try await UpstreamSignInTests.callback(stub, browser)
        #expect(refused.status == .badGateway)
        #expect(String(buffer: refused.body).contains("Sign-in not accepted"))
      }
      let events = try await server.auditEvents(type: "login.upstream_refused")
      #expect(events.map(\.detail) == ["provider stub: id_token refused: wrong issuer"])
      #expect(try await server.allGrants().isEmpty)
    }
  }

  @Test func entraAllowedTenantsRefusesAnotherTenant() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.entra(
        stub, issuer: issuer, tenant: "organizations", allowed: [Self.otherTenant])
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let refused = try await UpstreamSignInTests.callback(stub, browser)
        #expect(refused.status == .badGateway)
      }
      let events = try await server.auditEvents(type: "login.upstream_refused")
      #expect(events.map(\.detail) == ["provider stub: id_token refused: tenant not allowed"])
      #expect(try await server.store.users().allSatisfy { !$0.id.hasPrefix("idp_") })
    }
  }

  @Test func aTenantSpecificEntraRefusesADiscoveryDocumentWithTheTemplate() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.entra(stub, issuer: issuer, tenant: Self.tenant)
      #expect(server.configuration.identityProviders[0].issuerTemplate == nil)
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let page = try await browser.get(AuthorizeParameters().uri)
        let form = try TestBrowser.form(in: page)
        let response = try await browser.post(
          form.action,
          form: [
            ("interaction", form.value("interaction") ?? ""),
            ("csrf_token", form.value("csrf_token") ?? ""), ("provider", "stub"),
          ])
        #expect(response.status == .badGateway && response.headers[.location] == nil)
      }
    }
  }

  @Test func googleSendsHDButStillChecksTheVerifiedEmailsDomain() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    stub.shape.extraClaims = ["hd": "example.com"]
    try await stub.run { issuer in
      let server = try await UpstreamSignInTests.server(issuer: issuer) { provider in
        provider.preset = .google
        provider.allowedEmailDomains = ["example.com"]
      }
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let location = try await UpstreamSignInTests.pressButton(browser, AuthorizeParameters())
        #expect(try Self.query(location)["hd"] == "example.com")
        let consent = try await browser.get(
          try await UpstreamSignInTests.visitProvider(stub, location))
        #expect(consent.status == .ok)
      }
      // `hd` is only a hint to Google's account chooser: another domain is still refused.
      stub.shape.email = "ada@elsewhere.example"
      stub.shape.extraClaims = ["hd": "elsewhere.example"]
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let refused = try await UpstreamSignInTests.callback(stub, browser)
        #expect(refused.status == .forbidden)
      }
      let events = try await server.auditEvents(type: "login.refused_by_provider_rule")
      #expect(events.map(\.detail) == ["provider stub: email domain not allowed"])
    }
  }

  /// Google: a consumer account can hold any address it once verified; only the `hd` claim
  /// says the account belongs to the domain's Workspace — and userinfo's `email_verified`
  /// does not lift that.
  @Test func googleRefusesAConsumerAccountWithAWorkAddress() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await UpstreamSignInTests.server(issuer: issuer) { provider in
        provider.preset = .google
        provider.allowedEmailDomains = ["example.com"]
      }
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let refused = try await UpstreamSignInTests.callback(stub, browser)
        #expect(refused.status == .forbidden)
      }
      #expect(stub.userinfoRequests.withLock { $0 } == 1)
      let events = try await server.auditEvents(type: "login.refused_by_provider_rule")
      #expect(events.map(\.detail) == ["provider stub: no verified email"])
      #expect(try await server.allGrants().isEmpty)
    }
  }

  @Test func googleAcceptsAGmailAddressWithoutHD() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    stub.shape.email = "ada.lovelace@gmail.com"
    try await stub.run { issuer in
      let server = try await UpstreamSignInTests.server(issuer: issuer) { provider in
        provider.preset = .google
        provider.allowedEmails = ["Ada.Lovelace@gmail.com"]
      }
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let location = try await UpstreamSignInTests.pressButton(browser, AuthorizeParameters())
        #expect(try Self.query(location)["hd"] == nil)
        let consent = try await browser.get(
          try await UpstreamSignInTests.visitProvider(stub, location))
        #expect(consent.status == .ok)
      }
    }
  }

  @Test func auth0SendsTheAudience() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await UpstreamSignInTests.server(issuer: issuer) { provider in
        provider.preset = .auth0
        provider.audience = "https://notes.example.com/api"
      }
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let location = try await UpstreamSignInTests.pressButton(browser, AuthorizeParameters())
        let query = try Self.query(location)
        #expect(query["audience"] == "https://notes.example.com/api" && query["hd"] == nil)
        let consent = try await browser.get(
          try await UpstreamSignInTests.visitProvider(stub, location))
        #expect(consent.status == .ok)
      }
    }
  }
}
