import ArgumentParser
import CoreMetrics
import Foundation
import LatchkeyCore
import LatchkeyPostgres
import LatchkeySQLite
import LatchkeyServer
import Logging

/// Opens the store a configuration names: PostgreSQL when `database.url` (or a `--database`
/// / `LATCHKEY_DATABASE` value) is a `postgres://` URL, else the SQLite file (the default).
enum StoreFactory {
  /// The PostgreSQL connection settings, or nil when the configuration means SQLite.
  /// The password comes from `LATCHKEY_DATABASE_PASSWORD`, else `database.password_file`.
  static func postgresConfiguration(
    _ configuration: ServerConfiguration, environment: [String: String]
  ) throws -> PostgresConfiguration? {
    let settings = configuration.database
    let url =
      settings.url
      ?? (PostgresConfiguration.isPostgresURL(configuration.databasePath)
        ? configuration.databasePath : nil)
    guard let url else { return nil }
    var result: PostgresConfiguration
    do {
      result = try PostgresConfiguration(url: url)
    } catch let error as PostgresConfigurationError {
      throw ValidationError(error.description)
    }
    if let tls = settings.tls {
      guard let mode = PostgresConfiguration.TLSMode(rawValue: tls) else {
        throw ValidationError("database.tls must be disable, prefer or require")
      }
      result.tls = mode
    }
    if let password = environment["LATCHKEY_DATABASE_PASSWORD"] {
      result.password = password
    } else if let file = settings.passwordFile {
      guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
        throw ValidationError("cannot read database.password_file \(file)")
      }
      result.password = text.split(separator: "\n", omittingEmptySubsequences: false).first
        .map(String.init)
    }
    guard settings.poolSize >= 1, settings.minimumConnections >= 0,
      settings.connectTimeout > 0, settings.operationTimeout > 0
    else {
      throw ValidationError(
        "database.pool_size must be ≥ 1, minimum_connections ≥ 0 and the timeouts > 0")
    }
    result.poolSize = settings.poolSize
    result.minimumConnections = settings.minimumConnections
    result.connectTimeout = settings.connectTimeout
    result.operationTimeout = settings.operationTimeout
    return result
  }

  /// Opens (and by default migrates) the configured store. For SQLite, `synchronous` is the
  /// configured durability.
  static func open(
    _ configuration: ServerConfiguration, environment: [String: String], migrate: Bool = true,
    logger: Logger = Logger(label: "latchkey"),
    metricsFactory: any MetricsFactory = MetricsSystem.factory
  ) async throws -> any LatchkeyStore {
    if var postgres = try postgresConfiguration(configuration, environment: environment) {
      postgres.migrateOnOpen = migrate
      return try await PostgresStore(configuration: postgres, logger: logger)
    }
    guard
      let level = SQLiteConfiguration.Synchronous(rawValue: configuration.databaseSynchronous)
    else { throw ValidationError("database_synchronous must be FULL or NORMAL") }
    return try SQLiteStore(
      path: configuration.databasePath,
      configuration: SQLiteConfiguration(migrateOnOpen: migrate, synchronous: level),
      metricsFactory: metricsFactory)
  }

  /// Where the store lives, for messages (never with a password).
  static func describe(_ configuration: ServerConfiguration, environment: [String: String])
    -> String
  {
    if let postgres = try? postgresConfiguration(configuration, environment: environment) {
      return postgres.description
    }
    return configuration.databasePath
  }

  /// Releases the store's connections (the pool of PostgreSQL, the SQLite file).
  static func close(_ store: any LatchkeyStore) {
    if let postgres = store as? PostgresStore { postgres.close() }
    if let sqlite = store as? SQLiteStore { try? sqlite.close() }
  }
}
