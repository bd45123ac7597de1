public import LatchkeyCore
public import LatchkeyMCP

/// What the notes server needs to offer `upstream_whoami` (docs/demo.md, "The upstream token"):
/// where upstream tokens come from, and which API of each provider says whose a token is.
public struct NotesUpstream: Sendable {
  /// Usually a ``RemoteUpstreamTokenSource`` at the authorization server's `/upstream-token`.
  public var tokens: any UpstreamTokenSource
  /// The profile API of each provider, by the provider's `id` in `identity_providers`.
  public var profiles: [String: UpstreamProfileAPI]
  /// Asks the provider (GET with a bearer token).
  public var fetcher: any HTTPFetcher

  public init(
    tokens: any UpstreamTokenSource, profiles: [String: UpstreamProfileAPI],
    fetcher: any HTTPFetcher
  ) {
    self.tokens = tokens
    self.profiles = profiles
    self.fetcher = fetcher
  }
}

/// Where a provider says who the holder of one of its access tokens is.
public enum UpstreamProfileAPI: Sendable, Equatable {
  /// OpenID Connect: the `userinfo_endpoint` of `<issuer>/.well-known/openid-configuration`
  /// (OpenID Connect Discovery 1.0 §4, Core §5.3).
  case openID(issuer: String)
  /// GitHub's REST API at `api` (`https://api.github.com`, or `<base_url>/api/v3` on GitHub
  /// Enterprise Server): `GET /user`.
  case gitHub(api: String)
}
