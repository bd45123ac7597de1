#if !PostgreSQL
  import ArgumentParser
  import LatchkeyCore
  import LatchkeyServer
  import Logging

  /// `StoreFactory` in a build without the `PostgreSQL` package trait
  /// (`swift build --disable-default-traits`): SQLite only, and a `postgres://` URL is a
  /// configuration error that says how to get a build that has PostgreSQL.
  extension StoreFactory {
    /// The error for a `postgres://` URL in a SQLite-only build.
    static let postgresNotBuilt = ValidationError(
      "this latchkey was built without PostgreSQL support (the PostgreSQL package trait); "
        + "build it with the default traits to use a postgres:// database")

    /// Throws `postgresNotBuilt` when a `postgres://` URL is configured.
    /// - Returns: false: the configuration means SQLite.
    static func usesPostgres(_ configuration: ServerConfiguration, environment: [String: String])
      throws -> Bool
    {
      if postgresURL(configuration) != nil { throw postgresNotBuilt }
      return false
    }

    /// Throws `postgresNotBuilt` when a `postgres://` URL is configured, else nil.
    static func openPostgres(
      _ configuration: ServerConfiguration, environment: [String: String], migrate: Bool,
      logger: Logger
    ) async throws -> (any LatchkeyStore)? {
      _ = try usesPostgres(configuration, environment: environment)
      return nil
    }

    /// Throws `postgresNotBuilt` when a `postgres://` URL is configured, else nil.
    static func migratePostgres(
      _ configuration: ServerConfiguration, environment: [String: String]
    ) async throws -> MigrationReport? {
      _ = try usesPostgres(configuration, environment: environment)
      return nil
    }

    /// The configured URL's scheme only (a SQLite-only build cannot parse the rest).
    static func describePostgres(
      _ configuration: ServerConfiguration, environment: [String: String]
    ) -> String? {
      postgresURL(configuration).map { _ in "a PostgreSQL database" }
    }

    /// Nothing to close: a SQLite-only build opens no PostgreSQL pool.
    static func closePostgres(_ store: any LatchkeyStore) {}
  }
#endif
