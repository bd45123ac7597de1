#if PostgreSQL
  import ArgumentParser
  import Foundation
  import LatchkeyCore
  import LatchkeyPostgres
  import LatchkeyServer
  import Logging

  /// The PostgreSQL half of `StoreFactory`, in builds with the `PostgreSQL` package trait (the
  /// default; StoreFactory+SQLiteOnly.swift stands in without it).
  extension StoreFactory {
    /// The PostgreSQL connection settings, or nil when the configuration means SQLite.
    /// The password comes from `LATCHKEY_DATABASE_PASSWORD`, else `database.password_file`.
    static func postgresConfiguration(
      _ configuration: ServerConfiguration, environment: [String: String]
    ) throws -> PostgresConfiguration? {
      let settings = configuration.database
      guard let url = postgresURL(configuration) else { return nil }
      var result: PostgresConfiguration
      do {
        result = try PostgresConfiguration(url: url)
      } catch let error as PostgresConfigurationError {
        throw ValidationError(error.description)
      }
      switch settings.tls {
      case .disable: result.tls = .disable
      case .prefer: result.tls = .prefer
      case .require: result.tls = .require
      case nil: break
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

    /// Validates the PostgreSQL settings when a `postgres://` URL is configured.
    /// - Returns: whether the configuration means PostgreSQL.
    static func usesPostgres(_ configuration: ServerConfiguration, environment: [String: String])
      throws -> Bool
    {
      try postgresConfiguration(configuration, environment: environment) != nil
    }

    /// Opens the PostgreSQL store, or returns nil when the configuration means SQLite.
    static func openPostgres(
      _ configuration: ServerConfiguration, environment: [String: String], migrate: Bool,
      logger: Logger
    ) async throws -> (any LatchkeyStore)? {
      guard var postgres = try postgresConfiguration(configuration, environment: environment)
      else { return nil }
      postgres.migrateOnOpen = migrate
      return try await PostgresStore(configuration: postgres, logger: logger)
    }

    /// Migrates the PostgreSQL database, or returns nil when the configuration means SQLite.
    static func migratePostgres(
      _ configuration: ServerConfiguration, environment: [String: String]
    ) async throws -> MigrationReport? {
      guard let postgres = try postgresConfiguration(configuration, environment: environment)
      else { return nil }
      return try await PostgresStore.migrate(configuration: postgres)
    }

    /// The PostgreSQL server and database, for messages (never the password).
    static func describePostgres(
      _ configuration: ServerConfiguration, environment: [String: String]
    ) -> String? {
      (try? postgresConfiguration(configuration, environment: environment))??.description
    }

    /// Closes the pool when `store` is the PostgreSQL store.
    static func closePostgres(_ store: any LatchkeyStore) {
      (store as? PostgresStore)?.close()
    }
  }
#endif
