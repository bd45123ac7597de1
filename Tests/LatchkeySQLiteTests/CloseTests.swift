import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeySQLite

/// A clean close checkpoints the WAL and removes `-wal` and `-shm` (what a graceful shutdown of
/// `latchkey serve` relies on), and the data is in the main file afterwards.
@Suite("SQLite close")
struct CloseTests {
  @Test func closeRemovesTheWALAndKeepsTheData() async throws {
    let database = TemporaryDatabase("close.sqlite")
    defer { database.remove() }
    let path = database.path
    let store = try SQLiteStore(path: path)
    try await store.insertUser(Fixtures.user(id: "u-close", at: Date()))
    _ = try await store.user(id: "u-close")
    #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    try store.close()
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
    let reopened = try SQLiteStore(path: path)
    #expect(try await reopened.user(id: "u-close") != nil)
    try reopened.close()
  }
}

/// Reads decode the row while their statement holds it (`Database.row(_:_:_:)`); the statement
/// is reset afterwards, so no reader keeps a snapshot that would stop the WAL from rewinding.
@Suite("SQLite reads leave no snapshot open")
struct ReadsLeaveNoSnapshotTests {
  @Test func afterRepeatedReadsATruncatingCheckpointIsNotBusy() async throws {
    let database = TemporaryDatabase("reads.sqlite")
    defer { database.remove() }
    let path = database.path
    let store = try SQLiteStore(path: path)
    let client = Fixtures.client(at: Fixtures.epoch)
    let user = Fixtures.user(username: "reader", at: Fixtures.epoch)
    try await store.insertClient(client)
    try await store.insertUser(user)
    for _ in 0..<20 {
      #expect(try await store.client(id: client.id)?.redirectURIs == client.redirectURIs)
      #expect(try await store.user(username: "reader")?.id == user.id)
      #expect(try await store.client(id: "missing") == nil)
    }
    #expect(try store.truncatingCheckpointBusy() == 0)
    let walBytes = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int
    #expect(walBytes == 0)
    try store.close()
  }
}
