import ArgumentParser
import Foundation
import LatchkeyCore
import LatchkeyFetch
import LatchkeyMCP
import LatchkeyProxy
import Logging

/// The token verifier `latchkey proxy` runs with: offline JWT verification against the
/// issuer's JWKS, or RFC 7662 introspection when configured.
enum ProxyVerifier {
  static let secretVariable = "LATCHKEY_PROXY_CLIENT_SECRET"

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
      return IntrospectionAccessTokenVerifier(
        endpoint: endpoint, clientID: introspection.clientID, clientSecret: secret,
        issuer: configuration.issuer, resource: configuration.resource, fetcher: fetcher,
        leeway: Int64(configuration.leewaySeconds),
        positiveCacheDuration: TimeInterval(introspection.cacheSeconds), logger: logger)
    }
    let keys = JWKSKeySource(
      issuer: configuration.issuer, jwksURI: configuration.jwksURI.flatMap(URL.init(string:)),
      fetcher: fetcher, logger: logger)
    return JWTAccessTokenVerifier(
      issuer: configuration.issuer, resource: configuration.resource, keySource: keys,
      leeway: Int64(configuration.leewaySeconds))
  }
}
