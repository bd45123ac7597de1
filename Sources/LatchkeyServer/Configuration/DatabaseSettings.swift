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
  /// `disable`, `prefer` (default) or `require`; overrides the URL's `sslmode`.
  public var tls: String?
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
    url: String? = nil, passwordFile: String? = nil, tls: String? = nil, poolSize: Int = 10,
    minimumConnections: Int = 1, connectTimeout: Double = 5, operationTimeout: Double = 5
  ) {
    self.url = url
    self.passwordFile = passwordFile
    self.tls = tls
    self.poolSize = poolSize
    self.minimumConnections = minimumConnections
    self.connectTimeout = connectTimeout
    self.operationTimeout = operationTimeout
  }

  enum CodingKeys: String, CodingKey {
    case url, tls
    case passwordFile = "password_file"
    case poolSize = "pool_size"
    case minimumConnections = "minimum_connections"
    case connectTimeout = "connect_timeout"
    case operationTimeout = "operation_timeout"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let defaults = DatabaseSettings()
    url = try c.decodeIfPresent(String.self, forKey: .url)
    passwordFile = try c.decodeIfPresent(String.self, forKey: .passwordFile)
    tls = try c.decodeIfPresent(String.self, forKey: .tls)?.lowercased()
    poolSize = try c.decodeIfPresent(Int.self, forKey: .poolSize) ?? defaults.poolSize
    minimumConnections =
      try c.decodeIfPresent(Int.self, forKey: .minimumConnections) ?? defaults.minimumConnections
    connectTimeout =
      try c.decodeIfPresent(Double.self, forKey: .connectTimeout) ?? defaults.connectTimeout
    operationTimeout =
      try c.decodeIfPresent(Double.self, forKey: .operationTimeout) ?? defaults.operationTimeout
  }
}
