import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeySQLite

/// `SQLiteStore.releaseMemory` (called once after a load, issue 26) drops caches and idle
/// readers; reads and writes afterwards reopen what they need and see every committed row.
@Suite("SQLite release memory")
struct ReleaseMemoryTests {
  @Test func readsAndWritesWorkAfterReleasingMemory() async throws {
    let database = TemporaryDatabase("release.sqlite")
    defer { database.remove() }
    let store = try SQLiteStore(path: database.path)
    defer { try? store.close() }
    let now = Fixtures.epoch
    try await store.insertClient(Fixtures.client(id: "before", at: now))
    #expect(try await store.client(id: "before")?.id == "before")
    store.releaseMemory()
    #expect(try await store.client(id: "before")?.id == "before")
    try await store.insertClient(Fixtures.client(id: "after", at: now))
    store.releaseMemory()
    #expect(try await store.clients().map(\.id).sorted() == ["after", "before"])
  }
}
