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
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "latchkey-close-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("close.sqlite").path
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
