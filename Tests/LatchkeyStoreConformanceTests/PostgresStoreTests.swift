import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeyPostgres

/// What only PostgreSQL has: URLs, migrations under an advisory lock, several store instances
/// (several `latchkey serve` processes) on one database, and unreachable servers.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
  static let server = PostgresTestServer.configuration != nil

  @Test func urlsParseWithoutLeakingThePassword() throws {
    let full = try PostgresConfiguration(
      url: "postgres://lk%40ops:s3cret@db.example:6543/latchkey?sslmode=require")
    #expect(full.username == "lk@ops")
    #expect(full.password == "s3cret")
    #expect(full.host == "db.example" && full.port == 6543 && full.database == "latchkey")
    #expect(full.tls == .require)
    #expect(!full.description.contains("s3cret"))
    let minimal = try PostgresConfiguration(url: "postgresql://lk@localhost/db")
    #expect(minimal.port == 5432 && minimal.password == nil && minimal.tls == .prefer)
    let socket = try PostgresConfiguration(url: "postgres://lk@/db?host=/run/pg")
    #expect(socket.socketDirectory == "/run/pg")
  }

  @Test(arguments: [
    "mysql://lk@host/db", "postgres://host/db", "postgres://lk@host", "postgres://lk@host/a/b",
    "postgres://lk@host/db?sslmode=sometimes", "postgres://lk@host/db?application=x",
  ])
  func badURLsAreRefused(url: String) {
    #expect(throws: PostgresConfigurationError.self) { try PostgresConfiguration(url: url) }
  }

  @Test func embeddedMigrationsMatchTheSQLFiles() throws {
    let directory = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("migrations/postgres")
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasSuffix(".sql") }.sorted()
    #expect(files.count == embeddedMigrations.count, "run scripts/generate-migrations")
    for (file, migration) in zip(files, embeddedMigrations) {
      #expect(file == String(format: "%04d_%@.sql", migration.version, migration.name))
      let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
      #expect(sql == migration.sql, "\(file) drifted: run scripts/generate-migrations")
    }
  }

  @Test func migrationsSplitIntoWholeStatements() {
    for migration in embeddedMigrations {
      let statements = MigrationRunner.statements(of: migration.sql)
      #expect(!statements.isEmpty)
      for statement in statements {
        #expect(!statement.contains("--") && !statement.contains("'--"))
        #expect(
          statement.hasPrefix("CREATE ") || statement.hasPrefix("ALTER TABLE "),
          "\(migration.name): \(statement.prefix(40))")
      }
    }
  }

  @Test func aDollarQuotedFunctionBodyStaysOneStatement() {
    let sql = """
      CREATE TABLE t (id TEXT); -- a comment; with a semicolon
      CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM t WHERE id = NEW.id;
        RETURN NULL;
      END;
      $$;
      CREATE TRIGGER g AFTER UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();
      """
    let statements = MigrationRunner.statements(of: sql)
    #expect(statements.count == 3)
    #expect(statements[1].hasPrefix("CREATE FUNCTION") && statements[1].hasSuffix("END;\n$$"))
    #expect(statements[1].contains("DELETE FROM t WHERE id = NEW.id;"))
  }

  @Test func anUnreachableServerIsUnavailableNotAHang() async throws {
    var configuration = PostgresConfiguration(
      host: "127.0.0.1", port: 1, username: "nobody", database: "none", tls: .disable,
      connectTimeout: 1, operationTimeout: 1.5, migrateOnOpen: false)
    configuration.minimumConnections = 0
    let clock = ContinuousClock()
    let start = clock.now
    await #expect {
      _ = try await PostgresStore(configuration: configuration)
    } throws: { error in
      if case StoreError.unavailable = error { return true }
      return false
    }
    // A hang would run until the test times out; 30 s leaves room for a loaded 2-core CI
    // machine (12 s was seen with three builds running) while the timeouts above are 1-1.5 s.
    #expect(clock.now - start < .seconds(30))
  }

  @Test(.enabled(if: server)) func twoInstancesMigratingAtOnceApplyEachMigrationOnce() async throws
  {
    var fresh = try await PostgresTestServer.freshDatabase()
    fresh.migrateOnOpen = false
    let configuration = fresh
    let reports = try await withThrowingTaskGroup(of: MigrationReport.self) { group in
      for _ in 0..<4 {
        group.addTask { try await PostgresStore.migrate(configuration: configuration) }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(reports.map(\.applied.count).sorted() == [0, 0, 0, embeddedMigrations.count])
    #expect(reports.allSatisfy { $0.currentVersion == PostgresStore.supportedSchemaVersion })
  }

  @Test(.enabled(if: server)) func aNewerSchemaIsRefused() async throws {
    let configuration = try await PostgresTestServer.freshDatabase()
    let store = try await PostgresStore(configuration: configuration)
    try await store.executeRaw(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)")
    store.close()
    let expected = StoreError.schemaTooNew(
      found: 9999, supported: PostgresStore.supportedSchemaVersion)
    await #expect(throws: expected) { _ = try await PostgresStore(configuration: configuration) }
    var plain = configuration
    plain.migrateOnOpen = false
    await #expect(throws: expected) { _ = try await PostgresStore(configuration: plain) }
  }

  @Test(.enabled(if: server)) func aCodeIsRedeemedOnceAcrossTwoInstances() async throws {
    let configuration = try await PostgresTestServer.freshDatabase()
    let a = try await PostgresStore(configuration: configuration)
    let b = try await PostgresStore(configuration: configuration)
    try await a.insertUser(Fixtures.user(id: "u1", at: t0))
    try await a.insertClient(Fixtures.client(id: "c1", at: t0))
    let grant = Fixtures.grant(userID: "u1", clientID: "c1", at: t0, lifetime: 86_400)
    let code = Fixtures.code(for: grant, at: t0)
    try await a.issueCode(code, grant: grant)
    let results = try await withThrowingTaskGroup(of: CodeRedemption.self) { group in
      for index in 0..<50 {
        let store = index.isMultiple(of: 2) ? a : b
        group.addTask {
          try await store.redeemCode(hash: code.codeHash, at: t0) { code, grant in
            Fixtures.refreshToken(hash: Fixtures.randomHash(), for: grant, at: t0)
          }
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    let winners = results.filter { if case .redeemed = $0 { true } else { false } }
    #expect(winners.count == 1)
    #expect(results.filter { $0 == .alreadyUsed(grantID: grant.id) }.count == 49)
  }

  @Test(.enabled(if: server)) func aRotationOnOneInstanceIsReuseOnTheOther() async throws {
    let configuration = try await PostgresTestServer.freshDatabase()
    let a = try await PostgresStore(configuration: configuration)
    let b = try await PostgresStore(configuration: configuration)
    try await a.insertUser(Fixtures.user(id: "u1", at: t0))
    try await a.insertClient(Fixtures.client(id: "c1", at: t0))
    let grant = Fixtures.grant(userID: "u1", clientID: "c1", at: t0, lifetime: 86_400)
    try await a.issueCode(Fixtures.code(for: grant, at: t0), grant: grant)
    let first = Fixtures.refreshToken(for: grant, at: t0)
    #expect(try await a.issueRefreshToken(first) == .issued)
    let next = Fixtures.randomHash()
    let rotated = try await a.rotateRefreshToken(
      hash: first.tokenHash, at: t0.addingTimeInterval(10), graceWindow: 30
    ) { parent, grant in
      Fixtures.refreshToken(
        hash: next, for: grant, at: t0.addingTimeInterval(10), parentHash: parent.tokenHash)
    }
    guard case .rotated = rotated else {
      Issue.record("expected a rotation, got \(rotated)")
      return
    }
    let replay = try await b.rotateRefreshToken(
      hash: first.tokenHash, at: t0.addingTimeInterval(100), graceWindow: 30
    ) { _, _ in
      Issue.record("the plan must not be asked on reuse")
      return .refuse(OAuthError(.invalidGrant, "must not be called"))
    }
    #expect(replay == .reuseDetected(grantID: grant.id))
    #expect(try await a.grant(id: grant.id)?.revokedAt != nil)
    #expect(try await a.refreshToken(hash: next)?.revokedAt != nil)
  }
}
