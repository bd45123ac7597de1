import Foundation
import LatchkeyCore
import LatchkeyDemo
import LatchkeyFetch
import LatchkeyMCP
import LatchkeyServer
import Logging

/// The token vault in the demo (docs/demo.md, "The upstream token"): when a provider keeps its
/// tokens (`keep_upstream_tokens`, with `token_vault` keys), the notes server reads them at the
/// demo's own `POST /upstream-token` as `DemoIntrospectionClient`, which the demo lists in
/// `token_vault.readers` for the notes resource, and offers `upstream_whoami`.
enum DemoUpstream {
  /// True when some provider keeps tokens and the vault has a key to seal them.
  static func isOn(_ configuration: ServerConfiguration) -> Bool {
    !configuration.tokenVault.keys.isEmpty
      && configuration.identityProviders.contains(where: \.keepUpstreamTokens)
  }

  /// `configuration` with the notes server's client listed as a reader for `resource`.
  static func listingNotesReader(_ configuration: ServerConfiguration, resource: String)
    -> ServerConfiguration
  {
    var result = configuration
    let reader = TokenVaultConfiguration.Reader(
      clientID: DemoIntrospectionClient.id, resource: resource)
    if !result.tokenVault.readers.contains(reader) { result.tokenVault.readers.append(reader) }
    return result
  }

  /// Each token-keeping provider's profile API: userinfo by discovery for `oidc`, `GET /user`
  /// of the REST API for `github` (`https://api.github.com`, or `<base_url>/api/v3`).
  static func profiles(_ providers: [IdentityProviderConfiguration]) -> [String:
    UpstreamProfileAPI]
  {
    var result: [String: UpstreamProfileAPI] = [:]
    for provider in providers where provider.keepUpstreamTokens {
      switch provider.kind {
      case .oidc:
        result[provider.id] = .openID(issuer: provider.issuer)
      case .github:
        if let base = provider.baseURL {
          let root = base.hasSuffix("/") ? String(base.dropLast()) : base
          result[provider.id] = .gitHub(api: root + "/api/v3")
        } else {
          result[provider.id] = .gitHub(api: "https://api.github.com")
        }
      }
    }
    return result
  }

  /// The notes server's upstream side: `<issuer>/upstream-token` as `DemoIntrospectionClient`.
  static func notesUpstream(
    _ configuration: ServerConfiguration, issuer: String, clientSecret: String,
    fetcher: URLSessionHTTPFetcher, logger: Logger
  ) throws -> NotesUpstream? {
    guard isOn(configuration) else { return nil }
    guard let endpoint = URL(string: issuer + "/upstream-token") else {
      throw DemoError.notListening(issuer)
    }
    let tokens = RemoteUpstreamTokenSource(
      endpoint: endpoint, clientID: DemoIntrospectionClient.id, clientSecret: clientSecret,
      fetcher: fetcher, logger: logger)
    return NotesUpstream(
      tokens: tokens, profiles: profiles(configuration.identityProviders), fetcher: fetcher)
  }
}
