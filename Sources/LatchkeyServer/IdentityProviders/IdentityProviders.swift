import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// The configured upstream providers with their client secrets (read once at start from the
/// file or environment variable the configuration names), their discovery documents and their
/// id_token keys.
struct IdentityProviders: Sendable {
  struct Provider: Sendable {
    let configuration: IdentityProviderConfiguration
    /// Never logged, never shown. Empty with `private_key_jwt`.
    let clientSecret: String
    /// The `private_key_jwt` signing key (`UpstreamClientAssertion`); nil for the secret
    /// methods.
    var assertionKey: SigningKey? = nil
  }

  let providers: [Provider]
  let discovery: UpstreamDiscovery
  let keys: ClientKeySets
  let fetcher: any HTTPFetcher

  /// - Throws: `ConfigurationError.invalid` when a provider's secret cannot be read.
  init(
    _ configurations: [IdentityProviderConfiguration], fetcher: any HTTPFetcher,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(ConfigurationError) {
    var providers: [Provider] = []
    for configuration in configurations {
      if let problem = configuration.problem { throw .invalid(problem) }
      if configuration.tokenEndpointAuthMethod == .privateKeyJWT,
        let path = configuration.privateKeyFile
      {
        switch UpstreamClientAssertion.loadKey(path: path) {
        case .success(let key):
          providers.append(
            Provider(configuration: configuration, clientSecret: "", assertionKey: key))
        case .failure(let problem):
          throw .invalid(
            "identity provider \"\(configuration.id)\": private_key_file \(path) \(problem.description)"
          )
        }
        continue
      }
      guard let secret = configuration.clientSecret(environment: environment) else {
        throw .invalid(
          "identity provider \"\(configuration.id)\": the client secret cannot be read")
      }
      providers.append(Provider(configuration: configuration, clientSecret: secret))
    }
    self.providers = providers
    self.fetcher = fetcher
    discovery = UpstreamDiscovery(fetcher: fetcher)
    keys = ClientKeySets(fetcher: fetcher)
  }

  func provider(id: String) -> Provider? {
    providers.first { $0.configuration.id == id }
  }
}
