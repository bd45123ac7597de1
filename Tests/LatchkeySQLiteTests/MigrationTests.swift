import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeySQLite

@Suite("SQLite migrations and file")
struct MigrationTests {
  static let schemaTables = [
    "audit_events", "authorization_codes", "client_redirect_uris", "clients", "consents",
    "grants", "refresh_tokens", "resource_scopes", "resources", "schema_migrations",
    "signing_keys", "user_identities", "users",
  ]

  @Test func freshApplyCreatesEveryTable() throws {
    let store = try SQLiteStore(path: temporaryDatabasePath())
    let tables = try store.tableNames()
    for table in Self.schemaTables { #expect(tables.contains(table), "missing \(table)") }
    let files = RepositoryMigrations.sqlite
    #expect(!files.isEmpty)
    #expect(try store.appliedMigrations().map(\.version) == files.map(\.version))
    #expect(try store.appliedMigrations().map(\.name) == files.map(\.name))
    #expect(SQLiteStore.supportedSchemaVersion == files.last?.version)
  }

  @Test func reapplyingIsANoOpAndKeepsData() async throws {
    let path = temporaryDatabasePath()
    let store = try SQLiteStore(path: path)
    try await store.insertClient(Fixtures.client(id: "c1", at: t0))
    let before = try store.appliedMigrations()
    let again = try store.migrate()
    #expect(again.applied.isEmpty)
    #expect(again.recorded == before)
    #expect(again.currentVersion == RepositoryMigrations.sqlite.last?.version)
    let viaPath = try SQLiteStore.migrate(path: path)
    #expect(viaPath.applied.isEmpty && viaPath.recorded == before)
    let reopened = try SQLiteStore(path: path)
    #expect(try reopened.appliedMigrations() == before)
    #expect(try await reopened.client(id: "c1")?.id == "c1")
  }

  @Test func aFreshMigrateReportsWhatItApplied() throws {
    let report = try SQLiteStore.migrate(path: temporaryDatabasePath())
    #expect(report.applied.map(\.version) == RepositoryMigrations.sqlite.map(\.version))
    #expect(report.recorded == report.applied)
    #expect(report.supportedVersion == RepositoryMigrations.sqlite.last?.version)
  }

  @Test func aNewerSchemaIsRefusedNotCrashedOn() throws {
    let path = temporaryDatabasePath()
    do {
      let store = try SQLiteStore(path: path)
      try store.executeRaw(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)")
      try store.close()
    }
    let expected = StoreError.schemaTooNew(
      found: 9999, supported: try #require(RepositoryMigrations.sqlite.last?.version))
    #expect(throws: expected) { try SQLiteStore(path: path) }
    #expect(throws: expected) {
      try SQLiteStore(path: path, configuration: SQLiteConfiguration(migrateOnOpen: false))
    }
    #expect(throws: expected) { try SQLiteStore.migrate(path: path) }
  }

  @Test func embeddedMigrationsMatchTheSQLFiles() throws {
    let directory = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("migrations")
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasSuffix(".sql") }.sorted()
    #expect(!files.isEmpty)
    #expect(files.count == embeddedMigrations.count, "run scripts/generate-migrations")
    for (file, migration) in zip(files, embeddedMigrations) {
      let expectedName = String(format: "%04d_%@.sql", migration.version, migration.name)
      #expect(file == expectedName, "run scripts/generate-migrations")
      let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
      #expect(sql == migration.sql, "\(file) drifted: run scripts/generate-migrations")
    }
  }

  @Test func theFileIsOwnerOnly() throws {
    let path = temporaryDatabasePath()
    let store = try SQLiteStore(path: path)
    try store.executeRaw("INSERT INTO users VALUES ('u1', 'alice', 'h', 0, 0)")
    #expect(try Self.mode(path) == 0o600)
    #expect(try Self.mode(URL(fileURLWithPath: path).deletingLastPathComponent().path) == 0o700)
    for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
      #expect(try Self.mode(path + suffix) == 0o600, "\(suffix)")
    }
  }

  @Test func anExistingLooseFileIsTightened() throws {
    let path = temporaryDatabasePath()
    try FileManager.default.createDirectory(
      atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
      withIntermediateDirectories: true)
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
    _ = try SQLiteStore(path: path)
    #expect(try Self.mode(path) == 0o600)
  }

  @Test func pragmasAreAsDocumented() throws {
    let store = try SQLiteStore(path: temporaryDatabasePath())
    #expect(try store.pragma("foreign_keys") == "1")
    #expect(try store.pragma("journal_mode") == "wal")
    #expect(try store.pragma("synchronous") == "2")  // FULL, see docs/storage.md
    let normal = try SQLiteStore(
      path: temporaryDatabasePath(), configuration: SQLiteConfiguration(synchronous: .normal))
    #expect(try normal.pragma("synchronous") == "1")
  }

  @Test func dataSurvivesCloseAndReopen() async throws {
    let path = temporaryDatabasePath()
    let client = Fixtures.client(id: "c1", at: t0)
    let grant = Fixtures.grant(userID: "u1", clientID: "c1", at: t0)
    let token = Fixtures.refreshToken(for: grant, at: t0)
    let key = Fixtures.signingKey(kid: "k1", at: t0)
    do {
      let store = try SQLiteStore(path: path)
      try await store.insertUser(Fixtures.user(id: "u1", at: t0))
      try await store.insertClient(client)
      try await store.issueCode(Fixtures.code(for: grant, at: t0), grant: grant)
      #expect(try await store.issueRefreshToken(token) == .issued)
      _ = try await store.activeKeyInsertingIfNone(key)
      try store.close()
    }
    let reopened = try SQLiteStore(path: path)
    #expect(try await reopened.client(id: "c1") == client)
    #expect(try await reopened.refreshToken(hash: token.tokenHash) == token)
    #expect(try await reopened.signingKeys() == [key])
  }

  @Test(arguments: [1_800_000_000, 1_800_000_000.123, 1_799_999_999.001, 0.5])
  func millisecondDatesRoundTripExactly(seconds: Double) async throws {
    let store = try SQLiteStore(path: temporaryDatabasePath())
    let time = Date(timeIntervalSince1970: seconds)
    let id = try await store.appendAudit(AuditEvent(time: time, type: "t", outcome: .success))
    let stored = try await store.auditEvents(matching: AuditQuery()).first { $0.id == id }
    #expect(stored?.time == time)
    #expect(stored?.scopes == nil)
  }

  @Test func foreignKeyFailuresAreNotFoundWithoutArguments() async throws {
    let store = try SQLiteStore(path: temporaryDatabasePath())
    let grant = Fixtures.grant(userID: "ghost", clientID: "nobody", at: t0)
    await #expect(throws: StoreError.notFound("referenced row")) {
      try await store.issueCode(Fixtures.code(for: grant, at: t0), grant: grant)
    }
  }

  @Test func aDirectoryInsteadOfAFileIsUnavailable() throws {
    let path = temporaryDatabasePath()
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    #expect {
      try SQLiteStore(path: path)
    } throws: { error in
      guard case StoreError.unavailable(let message) = error else { return false }
      return message.contains(path)
    }
  }

  static func mode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
  }
}
