public import Foundation

/// How `PostgresStore` reaches its database: `database.url` plus the password, TLS, pool and
/// timeouts (docs/configuration.md). The password never comes from the URL's text in logs:
/// `description` leaves it out.
public struct PostgresConfiguration: Sendable, Equatable, CustomStringConvertible {
  /// `disable` (plain TCP), `prefer` (TLS when the server offers it) or `require` (TLS with
  /// the certificate verified against the system trust store and the host name).
  public enum TLSMode: String, Sendable, Equatable, CaseIterable {
    case disable, prefer, require
  }

  public var host: String
  public var port: Int
  public var username: String
  public var password: String?
  public var database: String
  /// A directory holding the server's Unix socket (`?host=/dir` in the URL), used instead of
  /// TCP when set.
  public var socketDirectory: String?
  public var tls: TLSMode
  /// Connections this instance keeps at most; several instances share the server's
  /// `max_connections`, so size it as `max_connections / instances` minus headroom.
  public var poolSize: Int
  /// Connections kept open while idle (ready for a burst).
  public var minimumConnections: Int
  /// How long to wait for a new connection to be established.
  public var connectTimeout: TimeInterval
  /// How long one store operation (including waiting for a pooled connection) may take before
  /// it fails with `StoreError.unavailable` (a 503 `temporarily_unavailable`).
  public var operationTimeout: TimeInterval
  /// Applies pending migrations when the store opens (under an advisory lock).
  public var migrateOnOpen: Bool

  public init(
    host: String = "127.0.0.1", port: Int = 5432, username: String, password: String? = nil,
    database: String, socketDirectory: String? = nil, tls: TLSMode = .prefer, poolSize: Int = 10,
    minimumConnections: Int = 1, connectTimeout: TimeInterval = 5,
    operationTimeout: TimeInterval = 5, migrateOnOpen: Bool = true
  ) {
    self.host = host
    self.port = port
    self.username = username
    self.password = password
    self.database = database
    self.socketDirectory = socketDirectory
    self.tls = tls
    self.poolSize = poolSize
    self.minimumConnections = minimumConnections
    self.connectTimeout = connectTimeout
    self.operationTimeout = operationTimeout
    self.migrateOnOpen = migrateOnOpen
  }

  /// Whether `text` names a PostgreSQL database (`postgres://` or `postgresql://`).
  public static func isPostgresURL(_ text: String) -> Bool {
    text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
  }

  /// Parses `postgres://user[:password]@host[:port]/database[?sslmode=…&host=/socket/dir]`.
  /// `sslmode` accepts disable, prefer, require (and libpq's verify-full as require).
  /// - Throws: `PostgresConfigurationError` naming what is wrong (never echoing a password).
  public init(url text: String) throws {
    guard Self.isPostgresURL(text), let components = URLComponents(string: text) else {
      throw PostgresConfigurationError("database.url must look like postgres://user@host:5432/db")
    }
    guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }),
      !user.isEmpty
    else { throw PostgresConfigurationError("database.url names no user") }
    let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : ""
    guard !path.isEmpty, !path.contains("/") else {
      throw PostgresConfigurationError("database.url names no database (…/dbname)")
    }
    self.init(
      host: components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1",
      port: components.port ?? 5432, username: user,
      password: components.percentEncodedPassword.flatMap { $0.removingPercentEncoding },
      database: path.removingPercentEncoding ?? path)
    for item in components.queryItems ?? [] {
      switch item.name {
      case "sslmode":
        let value = item.value ?? ""
        guard let mode = TLSMode(rawValue: value == "verify-full" ? "require" : value) else {
          throw PostgresConfigurationError("sslmode must be disable, prefer or require")
        }
        tls = mode
      case "host":
        socketDirectory = item.value
      default:
        throw PostgresConfigurationError("database.url has an unknown parameter \(item.name)")
      }
    }
  }

  /// The connection target without the password, for logs and errors.
  public var description: String {
    let target = socketDirectory.map { "\($0)/.s.PGSQL.\(port)" } ?? "\(host):\(port)"
    return "postgres://\(username)@\(target)/\(database) (tls \(tls.rawValue))"
  }
}

/// A `database` configuration PostgreSQL cannot be opened with.
public struct PostgresConfigurationError: Error, Equatable, CustomStringConvertible {
  public let description: String

  public init(_ description: String) { self.description = description }
}
