import ArgumentParser
import Foundation
import LatchkeyCore
import LatchkeyFetch
import LatchkeyMCP
import LatchkeyProxy
import Logging

/// The token verifier `latchkey proxy` runs with: offline JWT verification against the
/// issuer's JWKS, or RFC 7662 introspection of every token when `introspection` is configured.
/// Both run inside a `MixedAccessTokenVerifier`, so an API key (`lk_pat_…`) with a bad checksum
/// is refused without a lookup, a good one is introspected when introspection is configured,
/// and refused with 401 `invalid_token` ("API keys need introspection") when it is not.
enum ProxyVerifier {
  static let secretVariable = "LATCHKEY_PROXY_CLIENT_SECRET"

  /// The token vault reader when `upstream_token` is configured.
  static func upstreamTokens(_ configuration: ProxyConfiguration, environment: [String: String])
    throws -> (any UpstreamTokenSource)?
  {
    guard let settings = configuration.upstreamToken else { return nil }
    guard let endpoint = settings.endpointURL(issuer: configuration.issuer) else {
      throw ValidationError("upstream_token.endpoint must be an absolute URL")
    }
    guard let secret = environment[secretVariable], !secret.isEmpty else {
      throw ValidationError("upstream_token needs the client secret in \(secretVariable)")
    }
    return RemoteUpstreamTokenSource(
      endpoint: endpoint, clientID: settings.clientID, clientSecret: secret,
      fetcher: URLSessionHTTPFetcher(allowPrivateAddresses: true))
  }

  static func make(
    _ configuration: ProxyConfiguration, environment: [String: String], logger: Logger
  ) throws -> any AccessTokenVerifier {
    let fetcher = URLSessionHTTPFetcher(allowPrivateAddresses: true)
    if let introspection = configuration.introspection {
      guard let endpoint = URL(string: introspection.endpoint), !introspection.clientID.isEmpty
      else { throw ValidationError("introspection needs an endpoint URL and a client id") }
      guard let secret = environment[secretVariable], !secret.isEmpty else {
        throw ValidationError("introspection needs the client secret in \(secretVariable)")
      }
      let introspecting = IntrospectionAccessTokenVerifier(
        endpoint: endpoint, clientID: introspection.clientID, clientSecret: secret,
        issuer: configuration.issuer, resource: configuration.resource, fetcher: fetcher,
        leeway: Int64(configuration.leewaySeconds),
        positiveCacheDuration: TimeInterval(introspection.cacheSeconds), logger: logger)
      return MixedAccessTokenVerifier(jwt: introspecting, apiKeys: introspecting)
    }
    let keys = JWKSKeySource(
      issuer: configuration.issuer, jwksURI: configuration.jwksURI.flatMap(URL.init(string:)),
      fetcher: fetcher, logger: logger)
    let jwt = JWTAccessTokenVerifier(
      issuer: configuration.issuer, resource: configuration.resource, keySource: keys,
      leeway: Int64(configuration.leewaySeconds))
    return MixedAccessTokenVerifier(jwt: jwt, apiKeys: nil)
  }
}
