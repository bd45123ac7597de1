import Foundation
import LatchkeyCore
import LatchkeyJOSE
import Testing

@testable import LatchkeyServer

/// `identity_providers[]` and `local_accounts` (docs/configuration.md, docs/identity-providers.md):
/// strictly decoded, defaults written once, settings that cannot work refused by `validate()`.
@Suite("configuration: identity providers")
struct IdentityProviderConfigurationTests {
  static func decode(_ json: String) throws(ConfigurationFileError) -> ServerConfiguration {
    try ConfigurationFile.decode(ServerConfiguration.self, from: Data(json.utf8), file: "x.json")
  }

  static func provider(_ members: String) -> String {
    #"{"issuer": "https://auth.example.com", "identity_providers": [{"id": "corp", "#
      + #""issuer": "https://idp.example.com", "client_id": "latchkey""# + members + "}]}"
  }

  @Test func nothingChangesWithoutTheKeys() throws {
    let decoded = try Self.decode(#"{"issuer": "https://auth.example.com"}"#)
    #expect(decoded.identityProviders.isEmpty)
    #expect(decoded.localAccounts)
    try decoded.validate()
  }

  @Test func aProviderGetsItsDefaults() throws {
    let decoded = try Self.decode(Self.provider(#", "client_secret_env": "CORP_SECRET""#))
    let provider = try #require(decoded.identityProviders.first)
    #expect(provider.id == "corp" && provider.kind == .oidc && provider.displayName == "corp")
    #expect(provider.issuer == "https://idp.example.com" && provider.clientID == "latchkey")
    #expect(provider.clientSecretEnv == "CORP_SECRET" && provider.clientSecretFile == nil)
    #expect(provider.tokenEndpointAuthMethod == .clientSecretBasic)
    #expect(provider.scopes == ["openid", "email", "profile"])
    #expect(provider.allowedEmailDomains.isEmpty && provider.allowedEmails.isEmpty)
    #expect(provider.allowedGroups.isEmpty && provider.groupsClaim == "groups")
    #expect(provider.createUsers)
    #expect(provider.allowedAlgorithms == [.rs256, .es256])
    #expect(provider.problem == nil)
  }

  @Test func everySettingIsRead() throws {
    let decoded = try Self.decode(
      Self.provider(
        #", "kind": "oidc", "display_name": "Corp SSO", "client_secret_file": "/run/s", "#
          + #""token_endpoint_auth_method": "client_secret_post", "scopes": ["openid"], "#
          + #""allowed_email_domains": ["example.com"], "allowed_emails": ["a@b.c"], "#
          + #""allowed_groups": ["mcp"], "groups_claim": "roles", "create_users": false, "#
          + #""allowed_algorithms": ["ES256"]"#))
    let provider = try #require(decoded.identityProviders.first)
    #expect(provider.displayName == "Corp SSO" && provider.clientSecretFile == "/run/s")
    #expect(provider.tokenEndpointAuthMethod == .clientSecretPost && provider.scopes == ["openid"])
    #expect(provider.allowedEmailDomains == ["example.com"] && provider.allowedEmails == ["a@b.c"])
    #expect(provider.allowedGroups == ["mcp"] && provider.groupsClaim == "roles")
    #expect(!provider.createUsers && provider.allowedAlgorithms == [.es256])
  }

  @Test func unknownKeysAndValuesAreRefusedWithTheirPath() {
    #expect(throws: ConfigurationFileError.self) {
      try Self.decode(Self.provider(#", "client_secret": "inline""#))
    }
    for value in ["none", "HS256", "es256"] {
      do {
        _ = try Self.decode(Self.provider(#", "allowed_algorithms": [""# + value + #""]"#))
        Issue.record("\(value) accepted")
      } catch {
        guard case .notAllowed(let path, _, _) = error.problem else {
          Issue.record("\(error)")
          continue
        }
        #expect(path == "identity_providers[0].allowed_algorithms")
      }
    }
    #expect(throws: ConfigurationFileError.self) {
      try Self.decode(Self.provider(#", "kind": "saml""#))
    }
  }

  @Test(
    arguments: [
      ("Corp", "https://idp.example.com", "/run/s", nil, [JWSAlgorithm.es256], ["openid"]),
      ("corp", "http://idp.example.com", "/run/s", nil, [.es256], ["openid"]),
      ("corp", "https://idp.example.com", nil, nil, [.es256], ["openid"]),
      ("corp", "https://idp.example.com", "/run/s", "S", [.es256], ["openid"]),
      ("corp", "https://idp.example.com", "/run/s", nil, [], ["openid"]),
      ("corp", "https://idp.example.com", "/run/s", nil, [.es256], ["email"]),
    ] as [(String, String, String?, String?, [JWSAlgorithm], [String])])
  func settingsThatCannotWorkAreProblems(
    id: String, issuer: String, file: String?, env: String?, algorithms: [JWSAlgorithm],
    scopes: [String]
  ) {
    var provider = IdentityProviderConfiguration(
      id: id, issuer: issuer, clientID: "latchkey", clientSecretFile: file, clientSecretEnv: env)
    provider.allowedAlgorithms = algorithms
    provider.scopes = scopes
    #expect(provider.problem != nil)
  }

  @Test func aLoopbackHTTPIssuerIsAcceptedForDevelopment() {
    let provider = IdentityProviderConfiguration(
      id: "dev", issuer: "http://127.0.0.1:9000", clientID: "latchkey", clientSecretEnv: "S")
    #expect(provider.problem == nil)
  }

  @Test func localAccountsOffNeedsAProvider() throws {
    var configuration = ServerConfiguration(issuer: "https://auth.example.com")
    configuration.localAccounts = false
    #expect(throws: ConfigurationError.self) { try configuration.validate() }
  }

  @Test func twoProvidersWithOneIDAreRefused() {
    var configuration = ServerConfiguration(issuer: "https://auth.example.com")
    let provider = IdentityProviderConfiguration(
      id: "corp", issuer: "https://idp.example.com", clientID: "a", clientSecretEnv: "S")
    configuration.identityProviders = [provider, provider]
    #expect(throws: ConfigurationError.invalid("identity provider id \"corp\" is used twice")) {
      try configuration.validate()
    }
  }
}
