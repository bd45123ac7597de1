import Foundation
import LatchkeyCore
import LatchkeyJOSE
import Testing

@testable import LatchkeyServer

/// Presets over `oidc` (docs/identity-providers.md): what each one fills in from its own
/// settings, what the file can still override, and every combination refused at load with
/// the sentence `serve` prints (exit code 64).
@Suite("configuration: identity provider presets")
struct IdentityProviderPresetTests {
  static let tenantID = "72f988bf-86f1-41af-91ab-2d7cd011db47"

  static func decode(_ members: String) throws(ConfigurationFileError)
    -> IdentityProviderConfiguration
  {
    let json =
      #"{"issuer": "https://auth.example.com", "identity_providers": [{"id": "corp", "#
      + #""client_id": "latchkey", "client_secret_env": "S", "# + members + "}]}"
    let configuration = try ConfigurationFile.decode(
      ServerConfiguration.self, from: Data(json.utf8), file: "x.json")
    return configuration.identityProviders[0]
  }

  /// The sentence a file with `members` is refused with at load (decoding or `validate()`).
  static func refusal(_ members: String) -> String? {
    do {
      let provider = try decode(members)
      return provider.problem
    } catch {
      return error.description
    }
  }

  @Test func googleFillsTheIssuerAndSendsHDForOneDomain() throws {
    let one = try Self.decode(#""preset": "google", "allowed_email_domains": ["Corp.example"]"#)
    #expect(one.issuer == "https://accounts.google.com" && one.preset == .google)
    #expect(one.scopes == ["openid", "email", "profile"] && one.groupsClaim == "groups")
    #expect(one.presetAuthorizationParameters.map { "\($0.0)=\($0.1)" } == ["hd=corp.example"])
    #expect(one.issuerTemplate == nil && one.problem == nil)
    let two = try Self.decode(
      #""preset": "google", "allowed_email_domains": ["a.example", "b.example"]"#)
    #expect(two.presetAuthorizationParameters.isEmpty)
    #expect(try Self.decode(#""preset": "google""#).presetAuthorizationParameters.isEmpty)
  }

  @Test func explicitKeysOverrideThePresetsDefaults() throws {
    let google = try Self.decode(
      #""preset": "google", "issuer": "https://accounts.example.com", "scopes": ["openid"], "#
        + #""groups_claim": "roles""#)
    #expect(google.issuer == "https://accounts.example.com" && google.scopes == ["openid"])
    #expect(google.groupsClaim == "roles" && google.problem == nil)
    let okta = try Self.decode(#""preset": "okta", "issuer": "https://login.corp.example""#)
    #expect(okta.issuer == "https://login.corp.example" && okta.problem == nil)
  }

  @Test(arguments: [
    (Self.tenantID, "https://login.microsoftonline.com/\(Self.tenantID)/v2.0", false),
    ("common", "https://login.microsoftonline.com/common/v2.0", true),
    ("organizations", "https://login.microsoftonline.com/organizations/v2.0", true),
    (
      "consumers",
      "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0", false
    ),
  ])
  func entraDerivesTheIssuerAndATemplateOnlyForTheMultiTenantEndpoints(
    tenant: String, issuer: String, template: Bool
  ) throws {
    let provider = try Self.decode(#""preset": "entra", "tenant": ""# + tenant + #"""#)
    #expect(provider.issuer == issuer && provider.problem == nil)
    #expect(
      provider.issuerTemplate
        == (template ? "https://login.microsoftonline.com/{tenantid}/v2.0" : nil))
  }

  @Test func entraInANationalCloud() throws {
    let provider = try Self.decode(
      #""preset": "entra", "tenant": "organizations", "instance": "https://login.microsoftonline.us/", "#
        + #""allowed_tenants": [""# + Self.tenantID + #""]"#)
    #expect(provider.issuer == "https://login.microsoftonline.us/organizations/v2.0")
    #expect(provider.issuerTemplate == "https://login.microsoftonline.us/{tenantid}/v2.0")
    #expect(provider.allowedTenants == [Self.tenantID] && provider.problem == nil)
  }

  @Test func oktaKeycloakAndAuth0DeriveTheirIssuers() throws {
    let okta = try Self.decode(#""preset": "okta", "domain": "dev-1234.okta.com""#)
    #expect(okta.issuer == "https://dev-1234.okta.com/oauth2/default" && okta.problem == nil)
    let custom = try Self.decode(
      #""preset": "okta", "domain": "corp.okta.com", "authorization_server_id": "aus1a2b3c""#)
    #expect(custom.issuer == "https://corp.okta.com/oauth2/aus1a2b3c" && custom.problem == nil)
    let keycloak = try Self.decode(
      #""preset": "keycloak", "server_url": "https://sso.corp.example/", "realm": "staff""#)
    #expect(keycloak.issuer == "https://sso.corp.example/realms/staff" && keycloak.problem == nil)
    let auth0 = try Self.decode(
      #""preset": "auth0", "domain": "corp.eu.auth0.com", "audience": "https://notes.example.com""#)
    #expect(auth0.issuer == "https://corp.eu.auth0.com/" && auth0.problem == nil)
    #expect(
      auth0.presetAuthorizationParameters.map { "\($0.0)=\($0.1)" }
        == ["audience=https://notes.example.com"])
    #expect(auth0.effectiveAssertionAudience == .issuer)
    #expect(okta.effectiveAssertionAudience == .tokenEndpoint)
  }

  @Test(arguments: [
    (
      #""preset": "entra""#, "\"identity_providers[0].preset\" in x.json: preset entra needs tenant"
    ),
    (
      #""preset": "okta""#,
      "\"identity_providers[0].preset\" in x.json: preset okta needs domain (or issuer)"
    ),
    (
      #""preset": "keycloak", "realm": "staff""#,
      "\"identity_providers[0].preset\" in x.json: preset keycloak needs server_url and realm (or issuer)"
    ),
    (
      #""preset": "auth0", "domain": "corp.auth0.com", "issuer": "https://corp.auth0.com/""#,
      "\"identity_providers[0].preset\" in x.json: set either issuer or the settings of preset auth0, not both"
    ),
    (
      #""preset": "entra", "tenant": "common", "issuer": "https://login.microsoftonline.com/common/v2.0""#,
      "\"identity_providers[0].preset\" in x.json: set either issuer or the settings of preset entra, not both"
    ),
    (
      #""preset": "azure", "issuer": "https://idp.example.com""#,
      "\"identity_providers[0].preset\" in x.json is \"azure\"; allowed values: google, entra, okta, keycloak, auth0"
    ),
    (
      #""issuer": "https://idp.example.com", "preset": "Google""#,
      "\"identity_providers[0].preset\" in x.json is \"Google\"; allowed values: google, entra, okta, keycloak, auth0"
    ),
    (
      #""kind": "github", "preset": "google""#,
      "\"identity_providers[0].preset\" in x.json: not a setting of kind \"github\""
    ),
    (
      #""kind": "github", "private_key_file": "/k.pem""#,
      "\"identity_providers[0].private_key_file\" in x.json: not a setting of kind \"github\""
    ),
    (#""display_name": "x""#, "missing key \"identity_providers[0].issuer\" in x.json"),
  ])
  func aPresetWithoutWhatItNeedsIsRefusedWhileDecoding(members: String, message: String) {
    #expect(Self.refusal(members) == message)
  }

  @Test(arguments: [
    (
      #""preset": "entra", "tenant": "contoso.onmicrosoft.com""#,
      "tenant must be the directory (tenant) id — a GUID, shown on the Entra admin center's Overview page — or common, organizations or consumers; a domain name makes Entra answer with the GUID's issuer, which Latchkey compares exactly"
    ),
    (
      #""preset": "entra", "tenant": ""# + IdentityProviderPresetTests.tenantID
        + #"", "allowed_tenants": [""# + IdentityProviderPresetTests.tenantID + #""]"#,
      "allowed_tenants applies only to tenant common or organizations"
    ),
    (
      #""preset": "entra", "tenant": "consumers", "allowed_tenants": ["9188040d-6c67-4c5b-b112-36a304b66dad"]"#,
      "allowed_tenants applies only to tenant common or organizations"
    ),
    (
      #""preset": "entra", "tenant": "common", "allowed_tenants": ["contoso"]"#,
      "allowed_tenants holds \"contoso\", which is not a directory (tenant) id (a GUID)"
    ),
    (
      #""preset": "entra", "tenant": "common", "instance": "http://login.example.com""#,
      "instance: must use https (http is allowed only on loopback)"
    ),
    (
      #""preset": "entra", "tenant": "common", "instance": "https://login.example.com/x""#,
      "instance must be the cloud's origin, e.g. https://login.microsoftonline.us"
    ),
    (
      #""preset": "okta", "domain": "https://corp.okta.com""#,
      "domain must be a host name such as example.okta.com (no scheme, no path)"
    ),
    (
      #""preset": "auth0", "domain": "corp.auth0.com/x""#,
      "domain must be a host name such as example.auth0.com (no scheme, no path)"
    ),
    (
      #""preset": "okta", "domain": "corp.okta.com", "authorization_server_id": "a/b""#,
      "authorization_server_id must be one path segment of A-Z a-z 0-9 - _ ."
    ),
    (
      #""preset": "okta", "issuer": "https://corp.okta.com", "authorization_server_id": "x""#,
      "authorization_server_id needs domain"
    ),
    (
      #""preset": "keycloak", "server_url": "https://sso.example.com", "realm": "../master""#,
      "realm must be one path segment of A-Z a-z 0-9 - _ ."
    ),
    (
      #""preset": "keycloak", "issuer": "https://sso.example.com/realms/a", "realm": "a""#,
      "preset keycloak needs both server_url and realm"
    ),
    (
      #""issuer": "https://idp.example.com", "tenant": "common""#,
      "tenant applies only to preset entra"
    ),
    (
      #""preset": "google", "domain": "corp.okta.com""#,
      "domain applies only to preset okta or auth0"
    ),
    (
      #""preset": "okta", "domain": "corp.okta.com", "audience": "api""#,
      "audience applies only to preset auth0"
    ),
    (
      #""issuer": "https://idp.example.com", "realm": "x""#, "realm applies only to preset keycloak"
    ),
    (
      #""issuer": "https://idp.example.com", "allowed_tenants": ["x"]"#,
      "allowed_tenants applies only to preset entra"
    ),
  ])
  func aBadPresetCombinationIsAProblem(members: String, problem: String) {
    #expect(Self.refusal(members) == "identity provider \"corp\": \(problem)")
  }

  @Test func anEntraIssuerSetInCodeMustBeTheDerivedOne() {
    var provider = IdentityProviderConfiguration(
      id: "corp", issuer: "https://evil.example.com", clientID: "a", clientSecretEnv: "S")
    provider.preset = .entra
    provider.tenant = "common"
    #expect(
      provider.problem
        == "identity provider \"corp\": issuer follows from tenant and instance with preset entra; remove issuer"
    )
    provider.issuer = provider.presetIssuer ?? ""
    #expect(provider.problem == nil)
    var okta = IdentityProviderConfiguration(
      id: "corp", issuer: "https://other.example.com", clientID: "a", clientSecretEnv: "S")
    okta.preset = .okta
    okta.domain = "corp.okta.com"
    #expect(
      okta.problem
        == "identity provider \"corp\": issuer https://other.example.com disagrees with the preset's https://corp.okta.com/oauth2/default; set one of them"
    )
  }

  // MARK: - the Entra ID issuer template (IDTokenRule.expectedIssuer)

  static func claims(iss: String?, tid: String?) -> IDTokenClaims {
    IDTokenClaims(
      iss: iss, sub: "s", aud: ["a"], azp: nil, exp: 2_000, iat: 1_000, nonce: "n",
      email: nil, emailVerified: false, preferredUsername: nil, groups: [], tenantID: tid)
  }

  static let template = IDTokenRule.Expectation(
    issuer: "https://login.microsoftonline.com/organizations/v2.0", clientID: "a", nonce: "n",
    allowedAlgorithms: [.rs256],
    issuerTemplate: "https://login.microsoftonline.com/{tenantid}/v2.0")

  @Test func theTemplateTakesTheTokensOwnTenant() {
    let iss = "https://login.microsoftonline.com/\(Self.tenantID)/v2.0"
    #expect(
      IDTokenRule.check(Self.claims(iss: iss, tid: Self.tenantID), Self.template, now: 1_500) == nil
    )
    var limited = Self.template
    limited.allowedTenants = [Self.tenantID.uppercased()]
    #expect(
      IDTokenRule.check(Self.claims(iss: iss, tid: Self.tenantID), limited, now: 1_500) == nil)
  }

  @Test(
    arguments: [
      // iss of another tenant than tid: a token of tenant A cannot pass as tenant B.
      ("https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0", tenantID),
      // The template itself, unfilled.
      ("https://login.microsoftonline.com/{tenantid}/v2.0", tenantID),
      ("https://login.microsoftonline.com/{tenantid}/v2.0", "{tenantid}"),
      // A tid that is not a GUID is never spliced in.
      ("https://login.microsoftonline.com/evil.example/v2.0", "evil.example"),
      ("https://login.microsoftonline.com/organizations/v2.0", nil),
      ("https://evil.example.com/\(tenantID)/v2.0", tenantID),
    ] as [(String, String?)])
  func anIssuerThatIsNotTheTemplateWithItsTenantIsRefused(iss: String, tid: String?) {
    #expect(
      IDTokenRule.check(Self.claims(iss: iss, tid: tid), Self.template, now: 1_500)
        == .wrongIssuer)
  }

  @Test func aTenantOutsideAllowedTenantsIsRefused() {
    var limited = Self.template
    limited.allowedTenants = ["00000000-0000-0000-0000-000000000001"]
    let iss = "https://login.microsoftonline.com/\(Self.tenantID)/v2.0"
    #expect(
      IDTokenRule.check(Self.claims(iss: iss, tid: Self.tenantID), limited, now: 1_500)
        == .tenantNotAllowed)
  }

  @Test func withoutATemplateTheIssuerIsComparedExactly() {
    let exact = IDTokenRule.Expectation(
      issuer: "https://login.microsoftonline.com/\(Self.tenantID)/v2.0", clientID: "a",
      nonce: "n", allowedAlgorithms: [.rs256])
    let other = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0"
    #expect(
      IDTokenRule.check(
        Self.claims(iss: other, tid: "00000000-0000-0000-0000-000000000001"), exact, now: 1_500)
        == .wrongIssuer)
  }

  @Test func discoveryAcceptsTheTemplateOnlyWhenGivenOne() throws {
    let document = Array(
      #"{"issuer": "https://login.microsoftonline.com/{tenantid}/v2.0", "authorization_endpoint": "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize", "token_endpoint": "https://login.microsoftonline.com/organizations/oauth2/v2.0/token", "jwks_uri": "https://login.microsoftonline.com/organizations/discovery/v2.0/keys"}"#
        .utf8)
    let issuer = "https://login.microsoftonline.com/organizations/v2.0"
    #expect(throws: UpstreamDiscovery.Failure.issuerMismatch) {
      try UpstreamDiscovery.parse(document, issuer: issuer)
    }
    let metadata = try UpstreamDiscovery.parse(
      document, issuer: issuer, template: "https://login.microsoftonline.com/{tenantid}/v2.0")
    #expect(metadata.issuer == "https://login.microsoftonline.com/{tenantid}/v2.0")
  }

  @Test(
    arguments: [
      ("ada@corp.example", "corp.example", true), ("ada@Corp.Example", "corp.example", true),
      ("ada@corp.example", nil, false), ("ada@corp.example", "other.example", false),
      ("ada@gmail.com", nil, true), ("ada@googlemail.com", nil, true),
    ] as [(String, String?, Bool)])
  func googleCountsAnAddressOutsideGmailOnlyWithItsHostedDomain(
    email: String, hd: String?, verified: Bool
  ) throws {
    let provider = try Self.decode(#""preset": "google""#)
    var claims = Self.claims(iss: nil, tid: nil)
    claims.email = email
    claims.emailVerified = true
    claims.hostedDomain = hd
    #expect(claims.applyingPreset(provider).emailVerified == verified)
    // Applying it again (after userinfo) changes nothing more.
    #expect(claims.applyingPreset(provider).applyingPreset(provider).emailVerified == verified)
    claims.emailVerified = false
    #expect(!claims.applyingPreset(provider).emailVerified)
  }

  @Test func entraCountsADomainOwnerVerifiedEmailAndLinksByTenantAndSubject() throws {
    var provider = try Self.decode(#""preset": "entra", "tenant": "organizations""#)
    var claims = Self.claims(iss: nil, tid: Self.tenantID)
    claims.email = "ada@corp.example"
    claims.emailDomainOwnerVerified = true
    let applied = claims.applyingPreset(provider)
    #expect(applied.emailVerified && applied.sub == "\(Self.tenantID)/s")
    #expect(applied.applyingPreset(provider).sub == "\(Self.tenantID)/s")
    // Userinfo is still matched with the provider's own `sub` (OpenID Connect Core §5.3.2).
    var userinfo = Self.claims(iss: nil, tid: nil)
    userinfo.groups = ["g"]
    #expect(UpstreamUserinfo.merge(applied, userinfo)?.groups == ["g"])
    provider.preset = nil
    let plain = claims.applyingPreset(provider)
    #expect(!plain.emailVerified && plain.sub == "s")
  }
}
