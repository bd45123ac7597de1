import Foundation
import LatchkeyCore
import Synchronization

/// The parts of a provider's discovery document Latchkey uses (OpenID Connect Discovery 1.0
/// §3).
struct UpstreamProviderMetadata: Sendable, Decodable, Equatable {
  var issuer: String
  var authorizationEndpoint: String
  var tokenEndpoint: String
  var jwksURI: String
  /// OpenID Connect Core §5.3: asked when the id_token lacks claims the allow rules need.
  var userinfoEndpoint: String?

  enum CodingKeys: String, CodingKey {
    case issuer
    case authorizationEndpoint = "authorization_endpoint"
    case tokenEndpoint = "token_endpoint"
    case jwksURI = "jwks_uri"
    case userinfoEndpoint = "userinfo_endpoint"
  }
}

/// Discovery documents of the configured providers, fetched from
/// `<issuer>/.well-known/openid-configuration` and cached for `lifetime`.
final class UpstreamDiscovery: Sendable {
  static let lifetime: TimeInterval = 3600
  static let maximumBytes = 64 * 1024

  enum Failure: Error, Equatable {
    case unreachable
    case unreadable
    /// OpenID Connect Discovery 1.0 §4.3: the document's `issuer` must be exactly the issuer
    /// the document was fetched for.
    case issuerMismatch
  }

  private let fetcher: any HTTPFetcher
  private let cache = Mutex<[String: (metadata: UpstreamProviderMetadata, fetchedAt: Date)]>([:])

  init(fetcher: any HTTPFetcher) {
    self.fetcher = fetcher
  }

  /// OpenID Connect Discovery 1.0 §4.1: the issuer without a trailing slash, then
  /// `/.well-known/openid-configuration`.
  static func documentURL(issuer: String) -> URL? {
    let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
    return URL(string: base + "/.well-known/openid-configuration")
  }

  /// OpenID Connect Discovery 1.0 §4.3: the issuer compared exactly; every endpoint present.
  /// `template` (Entra ID `common`/`organizations` only, `issuerTemplate`) is the one other
  /// `issuer` accepted: those documents name `…/{tenantid}/v2.0`, and each id_token's `iss`
  /// is then checked against the template with its `tid` (`IDTokenRule.expectedIssuer`).
  static func parse(_ body: [UInt8], issuer: String, template: String? = nil) throws(Failure)
    -> UpstreamProviderMetadata
  {
    guard JSONDuplicateMemberRule.firstDuplicate(in: body) == nil,
      let metadata = try? JSONDecoder().decode(UpstreamProviderMetadata.self, from: Data(body)),
      URL(string: metadata.authorizationEndpoint) != nil,
      URL(string: metadata.tokenEndpoint) != nil, URL(string: metadata.jwksURI) != nil
    else { throw .unreadable }
    guard metadata.issuer == issuer || (template != nil && metadata.issuer == template) else {
      throw .issuerMismatch
    }
    return metadata
  }

  /// The document of a configured provider: its issuer, and its issuer template if it has one.
  func metadata(for provider: IdentityProviderConfiguration, at now: Date) async throws(Failure)
    -> UpstreamProviderMetadata
  {
    try await metadata(issuer: provider.issuer, template: provider.issuerTemplate, at: now)
  }

  func metadata(issuer: String, template: String? = nil, at now: Date) async throws(Failure)
    -> UpstreamProviderMetadata
  {
    if let cached = cache.withLock({ $0[issuer] }),
      now.timeIntervalSince(cached.fetchedAt) < Self.lifetime
    {
      return cached.metadata
    }
    guard let url = Self.documentURL(issuer: issuer),
      let response = try? await fetcher.get(url, maxBytes: Self.maximumBytes, timeout: 5)
    else { throw .unreachable }
    guard response.status == 200 else { throw .unreachable }
    let metadata = try Self.parse(response.body, issuer: issuer, template: template)
    cache.withLock { $0[issuer] = (metadata, now) }
    return metadata
  }
}
