import ArgumentParser
import CoreMetrics
import Foundation
import LatchkeyCore
import LatchkeySQLite
import LatchkeyServer
import Logging

/// Opens the store a configuration names: PostgreSQL when `database.url` (or a `--database`
/// / `LATCHKEY_DATABASE` value) is a `postgres://` URL, else the SQLite file (the default).
enum StoreFactory {
  /// Whether a location names a PostgreSQL database rather than a SQLite file.
  static func isPostgresURL(_ text: String) -> Bool {
    text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
  }

  /// The configured `postgres://` URL (`database.url`, or a URL given as the database path),
  /// or nil when the configuration means SQLite.
  static func postgresURL(_ configuration: ServerConfiguration) -> String? {
    configuration.database.url
      ?? (isPostgresURL(configuration.databasePath) ? configuration.databasePath : nil)
  }

  /// Opens (and by default migrates) the configured store. For SQLite, `synchronous` is the
  /// configured durability.
  static func open(
    _ configuration: ServerConfiguration, environment: [String: String], migrate: Bool = true,
    logger: Logger = Logger(label: "latchkey"),
    metricsFactory: any MetricsFactory = MetricsSystem.factory
  ) async throws -> any LatchkeyStore {
    if let store = try await openPostgres(
      configuration, environment: environment, migrate: migrate, logger: logger)
    {
      return store
    }
    return try SQLiteStore(
      path: configuration.databasePath,
      configuration: SQLiteConfiguration(
        migrateOnOpen: migrate, synchronous: synchronous(configuration.databaseSynchronous)),
      metricsFactory: metricsFactory)
  }

  /// The SQLite level `database_synchronous` names.
  static func synchronous(_ level: DatabaseSynchronous) -> SQLiteConfiguration.Synchronous {
    switch level {
    case .full: .full
    case .normal: .normal
    }
  }

  /// Where the store lives, for messages (never with a password).
  static func describe(_ configuration: ServerConfiguration, environment: [String: String])
    -> String
  {
    describePostgres(configuration, environment: environment) ?? configuration.databasePath
  }

  /// Releases the store's connections (the pool of PostgreSQL, the SQLite file).
  static func close(_ store: any LatchkeyStore) {
    closePostgres(store)
    if let sqlite = store as? SQLiteStore { try? sqlite.close() }
  }
}
