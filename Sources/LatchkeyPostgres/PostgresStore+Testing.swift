import Foundation
import LatchkeyCore
import Logging
import PostgresNIO

extension PostgresStore {
  /// Creates an empty database `name` on the server `configuration` points at (connecting to
  /// its database, usually `postgres`). For tests and benchmarks that need a fresh database
  /// each; `name` must be a plain identifier.
  package static func createDatabase(_ name: String, using configuration: PostgresConfiguration)
    async throws
  {
    guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
      throw StoreError.unavailable("database name must be a plain identifier")
    }
    var admin = configuration
    admin.migrateOnOpen = false
    admin.minimumConnections = 0
    let store = try await PostgresStore(configuration: admin, skipSchemaCheck: true)
    defer { store.close() }
    try await store.executeRaw("CREATE DATABASE \(name)", inTransaction: false)
  }

  /// Runs raw SQL (one statement). For tests that fake what another binary wrote, or that
  /// need statements outside a transaction (`CREATE DATABASE`).
  package func executeRaw(_ sql: String, inTransaction: Bool = true) async throws {
    if inTransaction {
      try await transaction("raw") { try await $0.run(PostgresQuery(unsafeSQL: sql)) }
      return
    }
    let logger = self.logger
    try await withDeadline("raw") { [client] in
      do {
        try await client.withConnection { connection in
          _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            .collect()
        }
      } catch {
        throw PostgresErrorMapping.map(error, concern: "raw")
      }
    }
  }
}
