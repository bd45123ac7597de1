import LatchkeyCore

/// The `database` object of the configuration: which database `serve`, `migrate` and the admin
/// commands open. Without a `url` the SQLite file at `database_path` is used (the default).
/// With `url = "postgres://user@host:5432/db"` every instance pointing at the same URL shares
/// one PostgreSQL database (docs/deployment.md). The password is never in this file: it comes
/// from `LATCHKEY_DATABASE_PASSWORD` or the file named by `password_file`.
public struct DatabaseSettings: Sendable, Codable, Equatable {
  /// `postgres://user@host:port/dbname[?sslmode=…]`; nil for SQLite.
  public var url: String?
  /// A file whose first line is the PostgreSQL password (mode 0600 recommended).
  public var passwordFile: String?
  /// Overrides the URL's `sslmode`; nil keeps it (`prefer` when the URL names none).
  public var tls: DatabaseTLSMode?
  /// Pooled connections per instance.
  public var poolSize: Int
  /// Connections kept open while idle.
  public var minimumConnections: Int
  /// Seconds to establish a connection.
  public var connectTimeout: Double
  /// Seconds one store operation may take (waiting for a connection included) before the
  /// request is answered 503 `temporarily_unavailable`.
  public var operationTimeout: Double

  public init(
    url: String? = nil, passwordFile: String? = nil, tls: DatabaseTLSMode? = nil,
    poolSize: Int = 10, minimumConnections: Int = 1, connectTimeout: Double = 5,
    operationTimeout: Double = 5
  ) {
    self.url = url
    self.passwordFile = passwordFile
    self.tls = tls
    self.poolSize = poolSize
    self.minimumConnections = minimumConnections
    self.connectTimeout = connectTimeout
    self.operationTimeout = operationTimeout
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case url, tls
    case passwordFile = "password_file"
    case poolSize = "pool_size"
    case minimumConnections = "minimum_connections"
    case connectTimeout = "connect_timeout"
    case operationTimeout = "operation_timeout"
  }

  /// Every key `database` accepts.
  static let shape = ConfigurationShape.fields(CodingKeys.self)

  /// Each setting the file leaves out keeps its default.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try decoder.refuseUnknownKeys(besides: CodingKeys.self)
    var value = DatabaseSettings()
    try c.decode(.url, into: &value, at: \.url)
    try c.decode(.passwordFile, into: &value, at: \.passwordFile)
    try c.decode(.poolSize, into: &value, at: \.poolSize)
    try c.decode(.minimumConnections, into: &value, at: \.minimumConnections)
    try c.decode(.connectTimeout, into: &value, at: \.connectTimeout)
    try c.decode(.operationTimeout, into: &value, at: \.operationTimeout)
    value.tls = try c.decodeChoice(.tls)
    self = value
  }
}

/// TLS to PostgreSQL (`database.tls`), in libpq's `sslmode` words.
public enum DatabaseTLSMode: String, Sendable, Codable, CaseIterable {
  /// Plain TCP.
  case disable
  /// TLS when the server offers it.
  case prefer
  /// TLS, the certificate verified against the system trust store and the host name.
  case require
}
