import Foundation
import LatchkeyCore
import LatchkeyPostgres
import LatchkeySQLite
import LatchkeyStoreConformance
import LatchkeyTestSupport
import Testing

/// The backends the store conformance suite runs over. Every backend must give the same answers.
/// PostgreSQL joins when `LATCHKEY_TEST_POSTGRES_URL` names a server (scripts/postgres-test
/// starts a throwaway one); each test then gets a fresh database of its own.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
  case memory
  case sqlite
  case postgres

  static var allCases: [StoreKind] {
    PostgresTestServer.configuration == nil ? [.memory, .sqlite] : [.memory, .sqlite, .postgres]
  }

  var testDescription: String { rawValue }

  func makeStore() async throws -> any LatchkeyStore {
    switch self {
    case .memory: InMemoryStore()
    case .sqlite: try SQLiteStore(path: temporaryDatabasePath())
    case .postgres: try await PostgresTestServer.makeStore()
    }
  }

  /// This backend as the conformance suite's `StoreFactory`.
  var factory: StoreFactory {
    StoreFactory(
      name: rawValue, makeStore: { try await makeStore() },
      makeEphemeralState: { try await makeEphemeralState() })
  }

  /// The short-lived state the server keeps with this backend: in process for memory and
  /// SQLite (one instance), in the database for PostgreSQL.
  func makeEphemeralState() async throws -> any EphemeralStateStore {
    switch self {
    case .memory, .sqlite: InProcessEphemeralState()
    case .postgres: try await PostgresTestServer.makeStore()
    }
  }
}

/// The PostgreSQL server named by `LATCHKEY_TEST_POSTGRES_URL` (a URL of its maintenance
/// database, e.g. `postgres://latchkey@127.0.0.1:5433/postgres`).
enum PostgresTestServer {
  static let configuration: PostgresConfiguration? = {
    guard let url = ProcessInfo.processInfo.environment["LATCHKEY_TEST_POSTGRES_URL"],
      !url.isEmpty
    else { return nil }
    var configuration = try? PostgresConfiguration(url: url)
    configuration?.tls = .disable
    configuration?.operationTimeout = 30
    configuration?.poolSize = 20
    return configuration
  }()

  /// A fresh, empty database on the test server; returns its configuration.
  static func freshDatabase() async throws -> PostgresConfiguration {
    guard var configuration else { throw StoreError.unavailable("no test server") }
    let name = "lk_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    try await PostgresStore.createDatabase(name, using: configuration)
    configuration.database = name
    return configuration
  }

  /// A migrated store on a fresh database.
  static func makeStore() async throws -> PostgresStore {
    try await PostgresStore(configuration: freshDatabase())
  }
}

let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// A fresh database path in its own directory under the temporary directory.
func temporaryDatabasePath(_ name: String = "latchkey.sqlite") -> String {
  FileManager.default.temporaryDirectory
    .appendingPathComponent("latchkey-tests-\(UUID().uuidString)")
    .appendingPathComponent(name).path
}
