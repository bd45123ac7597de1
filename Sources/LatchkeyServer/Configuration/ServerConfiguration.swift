import Foundation
public import LatchkeyCore

/// Everything `latchkey serve` reads from its JSON configuration file (docs/configuration.md),
/// with environment and flag overrides applied by the command. Secrets never live here.
public struct ServerConfiguration: Sendable, Codable, Equatable {
  /// The issuer URL, exactly as clients will compare it (RFC 8414 §3.3).
  public var issuer: String
  public var host: String
  public var port: Int
  public var databasePath: String
  /// PostgreSQL instead of the SQLite file, pool and timeouts (`database`).
  public var database: DatabaseSettings = .init()
  public var resources: [ResourceConfiguration]
  public var tokens: TokenLifetimes
  /// `ES256` (default), `EdDSA` or `RS256`.
  public var signingAlgorithm: String
  public var registration: RegistrationPolicy
  public var consent: ConsentPolicy
  /// A folder with `login.mustache`, `consent.mustache`, `error.mustache` overriding the
  /// built-in pages.
  public var templateDirectory: String?
  /// Addresses of reverse proxies whose `X-Forwarded-For` is trusted for the client address.
  public var trustedProxies: [String]
  /// scrypt cost (log2 N); lower only in tests.
  public var passwordHashLogN: Int
  /// SQLite `synchronous` level: `FULL` (default, durable across power loss) or `NORMAL`
  /// (durable across process crashes only; much faster on disks with slow fsync).
  public var databaseSynchronous: String = "FULL"
  /// `text` (default, swift-log's console format) or `json` (one JSON object per line).
  public var logFormat: String = "text"
  /// swift-log level of the process logger: `trace`, `debug`, `info` (default), `notice`,
  /// `warning`, `error`, `critical`.
  public var logLevel: String = "info"
  /// Background clean-up of expired codes and refresh tokens.
  public var housekeeping: HousekeepingPolicy = .init()
  /// Prometheus metrics on a separate listener; off by default (docs/metrics.md).
  public var metrics = MetricsConfiguration()

  public init(
    issuer: String, host: String = "127.0.0.1", port: Int = 8080,
    databasePath: String = ".latchkey/latchkey.sqlite", resources: [ResourceConfiguration] = [],
    tokens: TokenLifetimes = .init(), signingAlgorithm: String = "ES256",
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

  enum CodingKeys: String, CodingKey {
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
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let defaults = ServerConfiguration(issuer: "")
    issuer = try c.decode(String.self, forKey: .issuer)
    host = try c.decodeIfPresent(String.self, forKey: .host) ?? defaults.host
    port = try c.decodeIfPresent(Int.self, forKey: .port) ?? defaults.port
    databasePath =
      try c.decodeIfPresent(String.self, forKey: .databasePath) ?? defaults.databasePath
    database = try c.decodeIfPresent(DatabaseSettings.self, forKey: .database) ?? .init()
    resources = try c.decodeIfPresent([ResourceConfiguration].self, forKey: .resources) ?? []
    tokens = try c.decodeIfPresent(TokenLifetimes.self, forKey: .tokens) ?? defaults.tokens
    signingAlgorithm =
      try c.decodeIfPresent(String.self, forKey: .signingAlgorithm) ?? defaults.signingAlgorithm
    registration =
      try c.decodeIfPresent(RegistrationPolicy.self, forKey: .registration) ?? defaults.registration
    consent = try c.decodeIfPresent(ConsentPolicy.self, forKey: .consent) ?? defaults.consent
    templateDirectory = try c.decodeIfPresent(String.self, forKey: .templateDirectory)
    trustedProxies = try c.decodeIfPresent([String].self, forKey: .trustedProxies) ?? []
    passwordHashLogN =
      try c.decodeIfPresent(Int.self, forKey: .passwordHashLogN) ?? defaults.passwordHashLogN
    databaseSynchronous =
      try c.decodeIfPresent(String.self, forKey: .databaseSynchronous)?.uppercased() ?? "FULL"
    logFormat = try c.decodeIfPresent(String.self, forKey: .logFormat)?.lowercased() ?? "text"
    logLevel = try c.decodeIfPresent(String.self, forKey: .logLevel)?.lowercased() ?? "info"
    housekeeping =
      try c.decodeIfPresent(HousekeepingPolicy.self, forKey: .housekeeping)
      ?? defaults.housekeeping
    metrics = try c.decodeIfPresent(MetricsConfiguration.self, forKey: .metrics) ?? .init()
  }

  /// Reads a configuration file.
  public static func load(path: String) throws -> ServerConfiguration {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return try JSONDecoder().decode(ServerConfiguration.self, from: data)
  }
}

/// A protected resource as configured; synchronised into the store at start.
public struct ResourceConfiguration: Sendable, Codable, Equatable {
  public var url: String
  public var name: String
  public var scopes: [ScopeDefinition]
  public var defaultScopes: [String]
  public var toolScopes: [String: [String]]

  public init(
    url: String, name: String, scopes: [ScopeDefinition], defaultScopes: [String] = [],
    toolScopes: [String: [String]] = [:]
  ) {
    self.url = url
    self.name = name
    self.scopes = scopes
    self.defaultScopes = defaultScopes
    self.toolScopes = toolScopes
  }

  enum CodingKeys: String, CodingKey {
    case url, name, scopes
    case defaultScopes = "default_scopes"
    case toolScopes = "tool_scopes"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    url = try c.decode(String.self, forKey: .url)
    name = try c.decodeIfPresent(String.self, forKey: .name) ?? url
    scopes = try c.decodeIfPresent([ScopeDefinition].self, forKey: .scopes) ?? []
    defaultScopes = try c.decodeIfPresent([String].self, forKey: .defaultScopes) ?? []
    toolScopes = try c.decodeIfPresent([String: [String]].self, forKey: .toolScopes) ?? [:]
  }

  public var resource: Resource {
    Resource(
      url: url, name: name, scopes: scopes, defaultScopes: ScopeSet(defaultScopes),
      toolScopes: toolScopes.mapValues { ScopeSet($0) })
  }
}

/// Lifetimes in seconds.
public struct TokenLifetimes: Sendable, Codable, Equatable {
  public var accessToken: Int = 3600
  public var authorizationCode: Int = 60
  public var refreshToken: Int = 30 * 86_400
  /// Absolute maximum of a refresh-token family, whatever rotation happens.
  public var refreshFamily: Int = 90 * 86_400
  /// A retried refresh inside this window gets the same successor instead of a reuse alarm.
  public var refreshGraceWindow: Int = 30

  public init() {}

  enum CodingKeys: String, CodingKey {
    case accessToken = "access_token"
    case authorizationCode = "authorization_code"
    case refreshToken = "refresh_token"
    case refreshFamily = "refresh_family"
    case refreshGraceWindow = "refresh_grace_window"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = TokenLifetimes()
    accessToken = try c.decodeIfPresent(Int.self, forKey: .accessToken) ?? d.accessToken
    authorizationCode =
      try c.decodeIfPresent(Int.self, forKey: .authorizationCode) ?? d.authorizationCode
    refreshToken = try c.decodeIfPresent(Int.self, forKey: .refreshToken) ?? d.refreshToken
    refreshFamily = try c.decodeIfPresent(Int.self, forKey: .refreshFamily) ?? d.refreshFamily
    refreshGraceWindow =
      try c.decodeIfPresent(Int.self, forKey: .refreshGraceWindow) ?? d.refreshGraceWindow
  }
}

/// Dynamic client registration policy.
public struct RegistrationPolicy: Sendable, Codable, Equatable {
  public var dynamicRegistrationEnabled: Bool = true
  public var perMinuteGlobal: Int = 600
  public var perMinutePerSource: Int = 120
  /// Unused dynamically registered clients are deleted after this many seconds.
  public var idleExpiry: Int = 30 * 86_400
  public var metadataDocumentsEnabled: Bool = true
  /// When non-empty, only metadata documents from these hosts are accepted.
  public var metadataDocumentAllowHosts: [String] = []
  /// Metadata documents from these hosts are refused.
  public var metadataDocumentDenyHosts: [String] = []
  /// Development only: fetch metadata documents from loopback and private addresses.
  public var metadataDocumentAllowPrivateAddresses: Bool = false

  public init() {}

  enum CodingKeys: String, CodingKey {
    case dynamicRegistrationEnabled = "dynamic_registration_enabled"
    case perMinuteGlobal = "per_minute_global"
    case perMinutePerSource = "per_minute_per_source"
    case idleExpiry = "idle_expiry"
    case metadataDocumentsEnabled = "metadata_documents_enabled"
    case metadataDocumentAllowHosts = "metadata_document_allow_hosts"
    case metadataDocumentDenyHosts = "metadata_document_deny_hosts"
    case metadataDocumentAllowPrivateAddresses = "metadata_document_allow_private_addresses"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = RegistrationPolicy()
    dynamicRegistrationEnabled =
      try c.decodeIfPresent(Bool.self, forKey: .dynamicRegistrationEnabled)
      ?? d.dynamicRegistrationEnabled
    perMinuteGlobal = try c.decodeIfPresent(Int.self, forKey: .perMinuteGlobal) ?? d.perMinuteGlobal
    perMinutePerSource =
      try c.decodeIfPresent(Int.self, forKey: .perMinutePerSource) ?? d.perMinutePerSource
    idleExpiry = try c.decodeIfPresent(Int.self, forKey: .idleExpiry) ?? d.idleExpiry
    metadataDocumentsEnabled =
      try c.decodeIfPresent(Bool.self, forKey: .metadataDocumentsEnabled)
      ?? d.metadataDocumentsEnabled
    metadataDocumentAllowHosts =
      try c.decodeIfPresent([String].self, forKey: .metadataDocumentAllowHosts) ?? []
    metadataDocumentDenyHosts =
      try c.decodeIfPresent([String].self, forKey: .metadataDocumentDenyHosts) ?? []
    metadataDocumentAllowPrivateAddresses =
      try c.decodeIfPresent(Bool.self, forKey: .metadataDocumentAllowPrivateAddresses) ?? false
  }
}

/// Consent behaviour.
public struct ConsentPolicy: Sendable, Codable, Equatable {
  /// Skip the consent page when every requested scope was consented to before.
  public var skipWhenAlreadyGranted: Bool = true

  public init() {}

  enum CodingKeys: String, CodingKey {
    case skipWhenAlreadyGranted = "skip_when_already_granted"
  }
}
