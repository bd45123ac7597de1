import Foundation
import LatchkeyCore
import Testing

@testable import LatchkeyServer

/// `identity_providers[]` with `kind: "github"` (docs/configuration.md): the GitHub keys,
/// their defaults, the OpenID keys refused, `base_url` validated like an issuer.
@Suite("configuration: GitHub identity providers")
struct GitHubProviderConfigurationTests {
  static func decode(_ members: String) throws(ConfigurationFileError)
    -> IdentityProviderConfiguration
  {
    let json =
      #"{"issuer": "https://auth.example.com", "identity_providers": [{"id": "gh", "#
      + #""client_id": "Iv1.abc", "client_secret_env": "GH_SECRET""# + members + "}]}"
    let decoded = try ConfigurationFile.decode(
      ServerConfiguration.self, from: Data(json.utf8), file: "x.json")
    guard let provider = decoded.identityProviders.first else {
      throw ConfigurationFileError(file: "x.json", problem: .notJSON)
    }
    return provider
  }

  @Test func aGitHubProviderNeedsNoIssuerAndGetsItsDefaults() throws {
    let provider = try Self.decode(#", "kind": "github""#)
    #expect(provider.kind == .github && provider.baseURL == nil)
    #expect(provider.displayName == "GitHub")
    #expect(provider.issuer == "https://github.com")
    #expect(provider.scopes == ["read:user", "user:email"])
    #expect(provider.allowedOrganizations.isEmpty && provider.allowedTeams.isEmpty)
    #expect(provider.problem == nil)
    #expect(provider == .gitHub(id: "gh", clientID: "Iv1.abc", clientSecretEnv: "GH_SECRET"))
  }

  @Test func aServerWithOnlyAGitHubProviderValidates() throws {
    var configuration = ServerConfiguration(issuer: "https://auth.example.com")
    configuration.identityProviders = [
      .gitHub(id: "gh", clientID: "Iv1.abc", clientSecretEnv: "GH_SECRET")
    ]
    configuration.localAccounts = false
    try configuration.validate()
  }

  @Test func everyGitHubSettingIsRead() throws {
    let provider = try Self.decode(
      #", "kind": "github", "base_url": "https://ghe.corp.example", "#
        + #""allowed_organizations": ["acme"], "allowed_teams": ["acme/mcp-users"], "#
        + #""allowed_emails": ["octocat"], "allowed_email_domains": ["corp.example"]"#)
    #expect(provider.baseURL == "https://ghe.corp.example")
    #expect(provider.issuer == "https://ghe.corp.example")
    #expect(
      provider.allowedOrganizations == ["acme"] && provider.allowedTeams == ["acme/mcp-users"])
    // The membership rules need read:org, so the default scopes include it.
    #expect(provider.scopes == ["read:user", "user:email", "read:org"])
    #expect(provider.allowedEmails == ["octocat"] && provider.problem == nil)
  }

  @Test(arguments: [
    (#", "issuer": "https://github.com""#, "identity_providers[0].issuer"),
    (
      #", "token_endpoint_auth_method": "client_secret_post""#,
      "identity_providers[0].token_endpoint_auth_method"
    ),
    (#", "allowed_groups": ["staff"]"#, "identity_providers[0].allowed_groups"),
    (#", "groups_claim": "roles""#, "identity_providers[0].groups_claim"),
    (#", "allowed_algorithms": ["ES256"]"#, "identity_providers[0].allowed_algorithms"),
  ])
  func openIDKeysAreRefusedOnAGitHubProvider(member: String, path: String) {
    do {
      _ = try Self.decode(#", "kind": "github""# + member)
      Issue.record("\(member) accepted")
    } catch {
      #expect(
        error.problem == .invalidValue(path: path, reason: "not a setting of kind \"github\""))
    }
  }

  @Test func gitHubKeysAreRefusedOnAnOpenIDProvider() {
    for member in [
      #", "base_url": "https://ghe.corp.example""#, #", "allowed_organizations": ["acme"]"#,
      #", "allowed_teams": ["acme/x"]"#,
    ] {
      do {
        _ = try Self.decode(#", "issuer": "https://idp.example.com""# + member)
        Issue.record("\(member) accepted")
      } catch {
        guard case .invalidValue(_, let reason) = error.problem else {
          Issue.record("\(error)")
          continue
        }
        #expect(reason == "a setting of kind \"github\" only")
      }
    }
    #expect(throws: ConfigurationFileError.self) { try Self.decode(#", "kind": "GitHub""#) }
    #expect(throws: ConfigurationFileError.self) {
      try Self.decode(#", "kind": "github", "baseurl": "https://ghe.corp.example""#)
    }
  }

  @Test(arguments: [
    ("http://ghe.corp.example", "base_url must use https (http is allowed only on loopback)"),
    ("ftp://ghe.corp.example", "base_url must use https"),
    ("ghe.corp.example", "base_url must be an absolute URL"),
    ("https://ghe.corp.example?x=1", "base_url must not have a query or fragment"),
    ("https://github.com", "base_url is for GitHub Enterprise Server; leave it out for github.com"),
  ])
  func aBaseURLThatCannotWorkIsAProblem(baseURL: String, problem: String) {
    let provider = IdentityProviderConfiguration.gitHub(
      id: "gh", clientID: "c", clientSecretEnv: "S", baseURL: baseURL)
    #expect(provider.problem == "identity provider \"gh\": \(problem)")
  }

  @Test func aLoopbackHTTPBaseURLIsAcceptedForDevelopment() {
    for base in ["http://127.0.0.1:8080", "http://localhost:3000/", "https://ghe.corp.example"] {
      let provider = IdentityProviderConfiguration.gitHub(
        id: "gh", clientID: "c", clientSecretEnv: "S", baseURL: base)
      #expect(provider.problem == nil, "\(base)")
    }
  }

  @Test func settingsThatCannotWorkAreProblems() {
    let base = IdentityProviderConfiguration.gitHub(id: "gh", clientID: "c", clientSecretEnv: "S")
    var cases: [(IdentityProviderConfiguration, String)] = []
    var noScope = base
    noScope.allowedOrganizations = ["acme"]
    cases.append(
      (
        noScope,
        "allowed_organizations, allowed_teams and organization or team scope_mappings need the read:org scope"
      ))
    var mappedTeam = base
    mappedTeam.scopeMappings = ["acme/mcp-writers": ["notes:write"]]
    cases.append(
      (
        mappedTeam,
        "allowed_organizations, allowed_teams and organization or team scope_mappings need the read:org scope"
      ))
    var badOrg = base
    badOrg.scopes.append("read:org")
    badOrg.allowedOrganizations = ["acme corp"]
    cases.append(
      (badOrg, "\"acme corp\" in allowed_organizations is not a GitHub organization name"))
    var badTeam = base
    badTeam.scopes.append("read:org")
    badTeam.allowedTeams = ["mcp-users"]
    cases.append((badTeam, "\"mcp-users\" in allowed_teams is not an organization/team-slug"))
    var groups = base
    groups.allowedGroups = ["staff"]
    cases.append((groups, "allowed_groups is for oidc; use allowed_organizations or allowed_teams"))
    var twoSecrets = base
    twoSecrets.clientSecretFile = "/run/s"
    cases.append((twoSecrets, "set exactly one of client_secret_file and client_secret_env"))
    var noClient = base
    noClient.clientID = ""
    cases.append((noClient, "client_id must not be empty"))
    var oidc = IdentityProviderConfiguration(
      id: "gh", issuer: "https://idp.example.com", clientID: "c", clientSecretEnv: "S")
    oidc.allowedTeams = ["acme/x"]
    cases.append((oidc, "base_url, allowed_organizations and allowed_teams are for kind github"))
    for (provider, problem) in cases {
      #expect(provider.problem == "identity provider \"gh\": \(problem)")
    }
  }
}
