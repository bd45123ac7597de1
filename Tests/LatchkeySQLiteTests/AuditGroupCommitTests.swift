import Foundation
import LatchkeyCore
import Testing

@testable import LatchkeySQLite

/// Audit appends are group-committed: concurrent appends share transactions, yet every caller
/// gets its own id only once its event is stored, and nothing is lost or duplicated.
@Suite struct AuditGroupCommitTests {
  @Test func concurrentAppendsAreAllStoredWithDistinctIDsInFewerTransactions() async throws {
    let store = try SQLiteStore(path: temporaryDatabasePath())
    let count = 400
    let ids = try await withThrowingTaskGroup(of: (Int, Int64).self) { group in
      for index in 0..<count {
        group.addTask {
          let id = try await store.appendAudit(
            AuditEvent(time: t0, type: "group.commit", outcome: .success, detail: "e\(index)"))
          return (index, id)
        }
      }
      return try await group.reduce(into: [Int: Int64]()) { $0[$1.0] = $1.1 }
    }
    #expect(ids.count == count)
    #expect(Set(ids.values).count == count)
    let stored = try await store.auditEvents(
      matching: AuditQuery(type: "group.commit", limit: count * 2))
    #expect(stored.count == count)
    for event in stored {
      // Each caller got the id of its own event.
      let index = Int(event.detail!.dropFirst())!
      #expect(ids[index] == event.id)
    }
    #expect(store.auditQueue.batchesWritten <= count)
    try store.close()
  }

  @Test func aFailedBatchFailsEveryCallerInIt() async throws {
    let store = try SQLiteStore(path: temporaryDatabasePath())
    try store.close()
    await #expect(throws: StoreError.self) {
      try await store.appendAudit(AuditEvent(time: t0, type: "after.close", outcome: .success))
    }
  }
}
