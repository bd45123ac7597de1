import Foundation
import GRDB
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeySQLite

/// Single-statement reads run on a read-only connection of their own with cached statements
/// and no schema check (`SQLiteStore.readStatement`): what another process writes or migrates
/// meanwhile is seen, and a statement cached before a migration keeps working.
@Suite("SQLite single-statement reader")
struct StatementReaderTests {
  @Test func seesOtherConnectionsChangesAndSurvivesAnAddedColumn() async throws {
    let database = TemporaryDatabase("reader.sqlite")
    defer { database.remove() }
    let store = try SQLiteStore(path: database.path)
    var client = Fixtures.client(id: "c-reader", at: t0)
    client.redirectURIs = ["https://app.example/a", "https://app.example/b"]
    try await store.insertClient(client)
    #expect(try await store.client(id: "c-reader") == client)

    // Another process (the CLI, a migration) changes the row and the schema.
    let other = try DatabaseQueue(path: database.path)
    try await other.write { db in
      try db.execute(sql: "UPDATE clients SET name = 'Renamed' WHERE id = 'c-reader'")
      try db.execute(sql: "ALTER TABLE clients ADD COLUMN added_later TEXT")
      try db.execute(
        sql: "DELETE FROM client_redirect_uris WHERE client_id = 'c-reader' AND position = 1")
    }
    try other.close()

    client.name = "Renamed"
    client.redirectURIs = ["https://app.example/a"]
    #expect(try await store.client(id: "c-reader") == client)
    #expect(try await store.client(id: "absent") == nil)
    try store.close()
  }

  @Test func releasingMemoryAndClosingIncludeTheReader() async throws {
    let database = TemporaryDatabase("reader-close.sqlite")
    defer { database.remove() }
    let store = try SQLiteStore(path: database.path)
    try await store.insertClient(Fixtures.client(id: "c1", at: t0))
    _ = try await store.client(id: "c1")
    store.releaseMemory()
    #expect(try await store.client(id: "c1")?.id == "c1")
    try store.close()
    await #expect(throws: StoreError.self) { try await store.client(id: "c1") }
    #expect(!FileManager.default.fileExists(atPath: database.path + "-wal"))
  }
}
