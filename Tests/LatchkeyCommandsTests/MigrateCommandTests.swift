import ArgumentParser
import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeyCommands
@testable import LatchkeySQLite

@Suite("latchkey migrate")
struct MigrateCommandTests {
  static func temporaryDatabasePath() -> String {
    FileManager.default.temporaryDirectory
      .appendingPathComponent("latchkey-cli-\(UUID().uuidString)")
      .appendingPathComponent("latchkey.sqlite").path
  }

  @Test func migrateCreatesTheSchemaAndIsIdempotent() async throws {
    let path = Self.temporaryDatabasePath()
    for _ in 0..<2 {
      let command = try #require(
        try LatchkeyCommand.parseAsRoot(["migrate", "--database", path]) as? MigrateCommand)
      try await command.run()
    }
    let store = try SQLiteStore(
      path: path, configuration: SQLiteConfiguration(migrateOnOpen: false))
    #expect(
      try store.appliedMigrations().map(\.version) == RepositoryMigrations.sqlite.map(\.version))
    #expect(try await store.clients().isEmpty)
    #expect(try await store.signingKeys().isEmpty)
  }

  @Test func theSummarySaysWhatWasApplied() throws {
    let path = Self.temporaryDatabasePath()
    let first = try SQLiteStore.migrate(path: path)
    let files = RepositoryMigrations.sqlite
    let newest = try #require(files.last?.version)
    let version = "schema version \(newest) (this latchkey supports \(newest))"
    #expect(
      MigrateCommand.lines(for: first)
        == files.map { "applied " + String(format: "%04d", $0.version) + "_" + $0.name }
        + [version])
    let second = try SQLiteStore.migrate(path: path)
    #expect(MigrateCommand.lines(for: second) == ["already up to date", version])
  }

  @Test func aNewerSchemaExitsNonZero() async throws {
    let path = Self.temporaryDatabasePath()
    _ = try SQLiteStore.migrate(path: path)
    try Self.recordFutureVersion(at: path)
    let command = try #require(
      try LatchkeyCommand.parseAsRoot(["migrate", "--database", path]) as? MigrateCommand)
    await #expect(throws: MigrateCommand.schemaTooNewExitCode) { try await command.run() }
  }

  @Test func aDatabaseMustBeNamed() async throws {
    let command = try #require(try LatchkeyCommand.parseAsRoot(["migrate"]) as? MigrateCommand)
    await #expect(throws: ValidationError.self) { try await command.run() }
  }

  /// Fakes a database written by a newer Latchkey.
  static func recordFutureVersion(at path: String) throws {
    let store = try SQLiteStore(path: path)
    try store.executeRaw(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)")
    try store.close()
  }
}
