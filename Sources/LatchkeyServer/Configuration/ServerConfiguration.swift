import Foundation
public import LatchkeyCore
public import LatchkeyJOSE
public import Logging

/// Everything `latchkey serve` reads from its JSON configuration file (docs/configuration.md),
/// with environment and flag overrides applied by the command. Secrets never live here.
///
/// Defaults are written once: in `init(issuer:…)` and the property initialisers. The decoder
/// starts from them and overwrites what the file sets; a key it does not know is refused
/// (`ConfigurationProblem.unknownKey`), at every level of the document.
public struct ServerConfiguration: Sendable, Codable, Equatable {
  /// The issuer URL, exactly as clients will compare it (RFC 8414 §3.3).
  public var issuer: String
  public var host: String
  public var port: Int
  public var databasePath: String
  /// PostgreSQL instead of the SQLite file, pool and timeouts (`database`).
  public var database = DatabaseSettings()
  public var resources: [ResourceConfiguration]
  public var tokens: TokenLifetimes
  /// The algorithm of newly generated signing keys.
  public var signingAlgorithm: JWSAlgorithm
  public var registration: RegistrationPolicy
  public var consent: ConsentPolicy
  /// A folder with `login.mustache`, `consent.mustache`, `error.mustache` overriding the
  /// built-in pages.
  public var templateDirectory: String?
  /// Addresses of reverse proxies whose `X-Forwarded-For` is trusted for the client address.
  public var trustedProxies: [String]
  /// scrypt cost (log2 N); lower only in tests.
  public var passwordHashLogN: Int
  /// SQLite `synchronous` level (durable across power loss by default).
  public var databaseSynchronous = DatabaseSynchronous.full
  /// How log lines are written on stderr.
  public var logFormat = LogFormat.text
  /// swift-log level of the process logger.
  public var logLevel = Logger.Level.info
  /// Background clean-up of expired codes and refresh tokens.
  public var housekeeping = HousekeepingPolicy()
  /// Prometheus metrics on a separate listener; off by default (docs/metrics.md).
  public var metrics = MetricsConfiguration()
  /// How `/authorize` treats scope values no resource offers (`ScopeTolerance`): drop them and
  /// grant the known subset (default), or refuse with `invalid_scope`.
  public var scopeTolerance = ScopeTolerance.grantKnownSubset
  /// The resource an authorization request without `resource` gets when several are
  /// registered (`ResourceIndicatorRule.implicitResource`); nil: the resource whose origin the
  /// client's https redirect URI or metadata-document URL shares, when exactly one does, else
  /// `invalid_target`.
  public var defaultResource: String?
  /// Upstream identity providers users may sign in with (docs/identity-providers.md); none by
  /// default.
  public var identityProviders: [IdentityProviderConfiguration] = []
  /// Whether the login page offers the username and password form of Latchkey's own users.
  public var localAccounts = true
  /// The keys sealing identity-provider tokens kept with `keep_upstream_tokens`, and who may
  /// read them (docs/identity-providers.md, "The upstream token").
  public var tokenVault = TokenVaultConfiguration()

  public init(
    issuer: String, host: String = "127.0.0.1", port: Int = 8080,
    databasePath: String = ".latchkey/latchkey.sqlite", resources: [ResourceConfiguration] = [],
    tokens: TokenLifetimes = .init(), signingAlgorithm: JWSAlgorithm = .es256,
    registration: RegistrationPolicy = .init(), consent: ConsentPolicy = .init(),
    templateDirectory: String? = nil, trustedProxies: [String] = [], passwordHashLogN: Int = 15
  ) {
    self.issuer = issuer
    self.host = host
    self.port = port
    self.databasePath = databasePath
    self.resources = resources
    self.tokens = tokens
    self.signingAlgorithm = signingAlgorithm
    self.registration = registration
    self.consent = consent
    self.templateDirectory = templateDirectory
    self.trustedProxies = trustedProxies
    self.passwordHashLogN = passwordHashLogN
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case issuer, host, port, resources, tokens, registration, consent
    case database
    case databasePath = "database_path"
    case signingAlgorithm = "signing_algorithm"
    case templateDirectory = "template_directory"
    case trustedProxies = "trusted_proxies"
    case passwordHashLogN = "password_hash_log_n"
    case databaseSynchronous = "database_synchronous"
    case logFormat = "log_format"
    case logLevel = "log_level"
    case housekeeping
    case metrics
    case scopeTolerance = "scope_tolerance"
    case defaultResource = "default_resource"
    case identityProviders = "identity_providers"
    case localAccounts = "local_accounts"
    case tokenVault = "token_vault"
  }

  /// Every key the file accepts, for the documentation check.
  static let shape = ConfigurationShape.fields(
    CodingKeys.self,
    nested: [
      .database: DatabaseSettings.shape, .resources: .array(ResourceConfiguration.shape),
      .tokens: TokenLifetimes.shape, .registration: RegistrationPolicy.shape,
      .consent: ConsentPolicy.shape, .housekeeping: HousekeepingPolicy.shape,
      .metrics: MetricsConfiguration.shape,
      .identityProviders: .array(IdentityProviderConfiguration.shape),
      .tokenVault: TokenVaultConfiguration.shape,
    ])

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try decoder.refuseUnknownKeys(besides: CodingKeys.self)
    var value = ServerConfiguration(issuer: try c.decode(String.self, forKey: .issuer))
    try c.decode(.host, into: &value, at: \.host)
    try c.decode(.port, into: &value, at: \.port)
    try c.decode(.databasePath, into: &value, at: \.databasePath)
    try c.decode(.database, into: &value, at: \.database)
    try c.decode(.resources, into: &value, at: \.resources)
    try c.decode(.tokens, into: &value, at: \.tokens)
    try c.decode(.registration, into: &value, at: \.registration)
    try c.decode(.consent, into: &value, at: \.consent)
    try c.decode(.templateDirectory, into: &value, at: \.templateDirectory)
    try c.decode(.trustedProxies, into: &value, at: \.trustedProxies)
    try c.decode(.passwordHashLogN, into: &value, at: \.passwordHashLogN)
    try c.decode(.housekeeping, into: &value, at: \.housekeeping)
    try c.decode(.metrics, into: &value, at: \.metrics)
    try c.decode(.defaultResource, into: &value, at: \.defaultResource)
    try c.decode(.identityProviders, into: &value, at: \.identityProviders)
    try c.decode(.localAccounts, into: &value, at: \.localAccounts)
    try c.decode(.tokenVault, into: &value, at: \.tokenVault)
    value.scopeTolerance = try c.decodeChoice(.scopeTolerance) ?? value.scopeTolerance
    let algorithm = try c.decodeChoice(
      .signingAlgorithm, as: JWSAlgorithm.self, ignoringCase: false)
    value.signingAlgorithm = algorithm ?? value.signingAlgorithm
    value.databaseSynchronous =
      try c.decodeChoice(.databaseSynchronous) ?? value.databaseSynchronous
    value.logFormat = try c.decodeChoice(.logFormat) ?? value.logFormat
    value.logLevel = try c.decodeChoice(.logLevel) ?? value.logLevel
    self = value
  }

  /// Reads a configuration file.
  /// - Throws: `ConfigurationFileError` naming the file and, for a bad key or value, its path.
  public static func load(path: String) throws(ConfigurationFileError) -> ServerConfiguration {
    try ConfigurationFile.load(ServerConfiguration.self, path: path)
  }

  /// Refuses settings that cannot work together or cannot work at all, before anything opens.
  /// - Throws: `ConfigurationError.invalid` naming the first such setting: an issuer that is not
  ///   an https URL (http on loopback only; `IssuerRule`), a metrics address or path that is
  ///   not usable, an identity provider whose settings cannot work
  ///   (`IdentityProviderConfiguration.problem`) or whose id another provider has, or
  ///   `local_accounts: false` without any provider (nobody could sign in).
  public func validate() throws(ConfigurationError) {
    if let problem = IssuerRule.validate(issuer) { throw .invalid(problem) }
    _ = try metrics.listenAddress()
    var ids: Set<String> = []
    for provider in identityProviders {
      if let problem = provider.problem { throw .invalid(problem) }
      guard ids.insert(provider.id).inserted else {
        throw .invalid("identity provider id \"\(provider.id)\" is used twice")
      }
    }
    if let problem = tokenVault.problem { throw .invalid(problem) }
    if tokenVault.keys.isEmpty,
      let keeping = identityProviders.first(where: \.keepUpstreamTokens)
    {
      throw .invalid(
        "identity provider \"\(keeping.id)\" keeps upstream tokens but token_vault has no keys")
    }
    if !localAccounts, identityProviders.isEmpty {
      throw .invalid("local_accounts is false and no identity provider is configured")
    }
  }
}
