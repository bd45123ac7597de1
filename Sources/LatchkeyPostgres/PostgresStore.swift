import Foundation
public import LatchkeyCore
import LatchkeyNIO
public import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// The `LatchkeyStore` on PostgreSQL through postgres-nio's connection pool, for several
/// `latchkey serve` instances on one database (docs/storage.md, docs/deployment.md).
///
/// Atomicity without SQLite's single writer: every method is one READ COMMITTED transaction,
/// and decisions that must be atomic take row locks before reading what they decide on, so two
/// instances can never both act on the same unconsumed code or live refresh token:
/// - a code is consumed by one conditional `UPDATE … WHERE consumed_at IS NULL … RETURNING`;
///   of concurrent redemptions exactly one gets the row back, the others wait on its row lock
///   and then see it consumed;
/// - refresh rotation locks the grant row (`FOR NO KEY UPDATE`, serializing with revocation)
///   and then the parent token (`FOR UPDATE`), and applies `RefreshRotationRule` to rows that
///   no other transaction can change until commit;
/// - key, client-fingerprint and consent races are serialized with transaction-scoped advisory
///   locks or row locks.
/// Serialization failures and deadlocks (SQLSTATE 40001, 40P01) rerun the transaction a few
/// times. A lost connection, a pool that cannot connect, or an operation slower than
/// `operationTimeout` is `StoreError.unavailable` (503 `temporarily_unavailable`); the pool
/// reconnects by itself.
public final class PostgresStore: LatchkeyStore, EphemeralStateStore {
  let client: PostgresClient
  let logger: Logger
  public let configuration: PostgresConfiguration
  private let runner: Mutex<Task<Void, Never>?>
  /// Set when an operation failed as unavailable (connection lost or refused, timeout),
  /// cleared by the next success. While set, operations get `fastFailTimeout` instead of `operationTimeout`, so a
  /// database that is down costs each request one short wait per store call, not many long ones.
  private let databaseDown = Mutex(false)

  /// The deadline of operations while the database is known to be down.
  static let fastFailTimeout = 0.5

  /// Attempts of a transaction that fails with a serialization failure or deadlock.
  static let attempts = 8

  /// Connects (lazily, through the pool) and, unless `configuration.migrateOnOpen` is false,
  /// applies pending migrations under the migration advisory lock.
  /// - Throws: `StoreError.schemaTooNew` when the database was written by a newer Latchkey,
  ///   `StoreError.unavailable` when it cannot be reached.
  public convenience init(
    configuration: PostgresConfiguration, logger: Logger = Logger(label: "latchkey.postgres")
  ) async throws {
    try await self.init(configuration: configuration, logger: logger, skipSchemaCheck: false)
  }

  init(
    configuration: PostgresConfiguration, logger: Logger = Logger(label: "latchkey.postgres"),
    skipSchemaCheck: Bool
  ) async throws {
    self.configuration = configuration
    self.logger = logger
    client = PostgresClient(configuration: Self.clientConfiguration(configuration))
    let client = self.client
    runner = Mutex(Task { await client.run() })
    do {
      if configuration.migrateOnOpen {
        _ = try await migrate()
      } else if !skipSchemaCheck {
        try await checkSchemaNotTooNew()
      }
    } catch {
      close()
      throw error
    }
  }

  /// Opens without migrating, applies pending migrations, reports, and closes. Used by
  /// `latchkey migrate`.
  public static func migrate(configuration: PostgresConfiguration) async throws
    -> MigrationReport
  {
    var configuration = configuration
    configuration.migrateOnOpen = false
    let store = try await PostgresStore(configuration: configuration)
    defer { store.close() }
    return try await store.migrate()
  }

  /// Stops the pool; later calls fail with `StoreError.unavailable`.
  public func close() {
    runner.withLock { task in
      task?.cancel()
      task = nil
    }
  }

  deinit { close() }

  static func clientConfiguration(_ configuration: PostgresConfiguration)
    -> PostgresClient.Configuration
  {
    var result: PostgresClient.Configuration
    if let directory = configuration.socketDirectory {
      result = PostgresClient.Configuration(
        unixSocketPath: "\(directory)/.s.PGSQL.\(configuration.port)",
        username: configuration.username, password: configuration.password,
        database: configuration.database)
    } else {
      let tls: PostgresClient.Configuration.TLS
      switch configuration.tls {
      case .disable: tls = .disable
      case .prefer: tls = .prefer(.makeClientConfiguration())
      case .require: tls = .require(.makeClientConfiguration())
      }
      result = PostgresClient.Configuration(
        host: configuration.host, port: configuration.port, username: configuration.username,
        password: configuration.password, database: configuration.database, tls: tls)
    }
    result.options.maximumConnections = max(configuration.poolSize, 1)
    result.options.minimumConnections = min(
      max(configuration.minimumConnections, 0), max(configuration.poolSize, 1) - 1)
    result.options.connectTimeout = .milliseconds(Int64(configuration.connectTimeout * 1000))
    result.options.keepAliveBehavior = .init(frequency: .seconds(30))
    return result
  }

  /// One transaction on a pooled connection: BEGIN, `body`, COMMIT (ROLLBACK when `body`
  /// throws). Retried on serialization failures and deadlocks; bounded by `operationTimeout`;
  /// database errors mapped for `concern`.
  ///
  /// `explicit: false` runs `body` without BEGIN and COMMIT, for a body that sends exactly one
  /// statement: that statement is its own transaction (autocommit), atomic and consistent by
  /// itself, and the two round trips are saved. Nothing else changes (deadline, retries,
  /// error mapping).
  @discardableResult
  func transaction<T: Sendable>(
    _ concern: String, explicit: Bool = true,
    _ body: @escaping @Sendable (PostgresSession) async throws -> T
  ) async throws -> T {
    let client = self.client
    let logger = self.logger
    let down = databaseDown.withLock { $0 }
    let timeout =
      down
      ? min(configuration.operationTimeout, Self.fastFailTimeout) : configuration.operationTimeout
    do {
      let value = try await withDeadline(concern, timeout: timeout) {
        var attempt = 1
        while true {
          do {
            return try await client.withConnection { connection in
              try await withTaskExecutorPreference(
                EventLoopTaskExecutor(connection.eventLoop)
              ) {
                let session = PostgresSession(connection: connection, logger: logger)
                guard explicit else { return try await body(session) }
                try await session.control(Begin())
                do {
                  let value = try await body(session)
                  try await session.control(Commit())
                  return value
                } catch {
                  try? await session.control("ROLLBACK")
                  throw error
                }
              }
            }
          } catch let error where PostgresErrorMapping.isRetryable(error) && attempt < Self.attempts
          {
            attempt += 1
            try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
          } catch {
            throw PostgresErrorMapping.map(error, concern: concern)
          }
        }
      }
      if down { databaseDown.withLock { $0 = false } }
      return value
    } catch StoreError.unavailable(let reason) {
      // A false alarm (one slow query) costs the next operation a shorter deadline, which a
      // healthy database meets, clearing the flag again.
      databaseDown.withLock { $0 = true }
      throw StoreError.unavailable(reason)
    }
  }

  /// Runs `body`, failing with `StoreError.unavailable` when it takes longer than
  /// `operationTimeout`. The caller gets its answer at the deadline even when the body does not
  /// react to cancellation (a query in flight when the database vanished); the body is
  /// cancelled and finishes on its own (a queued connection lease gives up at once).
  func withDeadline<T: Sendable>(
    _ concern: String, timeout seconds: TimeInterval? = nil,
    _ body: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    let timeout = Duration.milliseconds(Int64((seconds ?? configuration.operationTimeout) * 1000))
    return try await raceAgainstDeadline(
      timeout: timeout,
      onTimeout: {
        StoreError.unavailable("database did not answer in time while accessing \(concern)")
      }, operation: body)
  }
}
