import Foundation
import LatchkeyCore
import LatchkeyJOSE
import Logging

/// The authorization server's shared parts, handed to every endpoint. Built once by
/// `buildApplication`.
struct AuthorizationServer: Sendable {
  let configuration: ServerConfiguration
  let store: any LatchkeyStore
  let clock: any WallClock
  let keys: SigningKeyProvider
  let minter: AccessTokenMinter
  let passwordHasher: ScryptPasswordHasher
  let limits: RegistrationLimits
  let metadataDocuments: MetadataDocumentClients
  /// Public keys of `private_key_jwt` clients, inline or fetched and cached.
  let clientKeys: ClientKeySets
  let logger: Logger
  /// Counters and histograms (docs/metrics.md); no-ops without a metrics backend.
  let metrics: ServerMetrics
  /// Sessions, login back-off and registration windows: in the database when the store keeps
  /// them (PostgreSQL, shared by instances), else in this process.
  let ephemeral: any EphemeralStateStore
  /// Login sessions, login throttle and page templates of `/authorize`.
  let interaction: AuthorizeInteraction
  /// Upstream identity providers users may sign in with (docs/identity-providers.md).
  let identityProviders: IdentityProviders
  /// Seals the identity-provider tokens of `keep_upstream_tokens` providers; nil without keys.
  let tokenVault: TokenVault?
  /// The encoded discovery document, rebuilt from the store at most every 5 s.
  let discoveryDocument = RecentValue<Responses.PreparedJSON>(lifetime: 5)

  var issuer: String { configuration.issuer }

  init(
    configuration: ServerConfiguration, store: any LatchkeyStore, clock: any WallClock,
    fetcher: any HTTPFetcher, providerFetcher: any HTTPFetcher, logger: Logger,
    metrics: ServerMetrics
  ) throws {
    self.metrics = metrics
    self.configuration = configuration
    self.store = store
    self.clock = clock
    self.logger = logger
    ephemeral = (store as? any EphemeralStateStore) ?? InProcessEphemeralState()
    interaction = AuthorizeInteraction(state: ephemeral)
    keys = SigningKeyProvider(
      store: store, algorithm: configuration.signingAlgorithm, clock: clock, audit: store)
    minter = AccessTokenMinter(
      issuer: configuration.issuer, lifetime: configuration.tokens.accessToken, keys: keys)
    limits = RegistrationLimits(policy: configuration.registration, state: ephemeral)
    metadataDocuments = MetadataDocumentClients(
      fetcher: fetcher, policy: configuration.registration, store: store)
    clientKeys = ClientKeySets(fetcher: fetcher)
    identityProviders = try IdentityProviders(
      configuration.identityProviders, fetcher: providerFetcher)
    tokenVault = try TokenVault(
      configuration.tokenVault, environment: ProcessInfo.processInfo.environment)
    passwordHasher = ScryptPasswordHasher(
      parameters: ScryptParameters(logN: configuration.passwordHashLogN, r: 8, p: 1))
  }

  /// Appends to the audit trail; a failure to audit is logged, never shown to the client.
  func audit(_ event: AuditEvent) async {
    do {
      try await store.appendAudit(event)
    } catch {
      logger.error("audit append failed", metadata: ["type": "\(event.type)"])
    }
  }
}

/// A configuration the server refuses to start with.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
  case invalid(String)

  public var description: String {
    switch self {
    case .invalid(let message): "invalid configuration: \(message)"
    }
  }
}
