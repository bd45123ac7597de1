import Foundation
import LatchkeyCore
import Testing

@testable import LatchkeySQLite

/// Writes are group-committed (`GroupCommitWriter`): concurrent writes share transactions, yet
/// every caller gets its own answer only once its write is stored, a failing write is rolled back
/// alone, and nothing is lost or duplicated.
@Suite struct GroupCommitTests {
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
    // Fewer commits than writes: the writes that queued during a commit shared the next one.
    #expect(store.writer.batchesWritten < count)
    try store.close()
  }

  @Test func aFailedBatchFailsEveryCallerInIt() async throws {
    let store = try SQLiteStore(path: temporaryDatabasePath())
    try store.close()
    await #expect(throws: StoreError.self) {
      try await store.appendAudit(AuditEvent(time: t0, type: "after.close", outcome: .success))
    }
  }

  /// Runs `count` concurrent writes; every third one inserts its event and then throws.
  private func mixedWrites(_ store: SQLiteStore, count: Int) async -> [Int: Result<
    Int64, any Error
  >] {
    await withTaskGroup(of: (Int, Result<Int64, any Error>).self) { group in
      for index in 0..<count {
        group.addTask {
          let result = await Result {
            try await store.commit("test") { db in
              try AuditRow.insert(
                AuditEvent(time: t0, type: "mixed", outcome: .success, detail: "e\(index)"), db)
              if index % 3 == 0 { throw WriteRefused(index: index) }
              return db.lastInsertedRowID
            }
          }
          return (index, result)
        }
      }
      return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
    }
  }

  @Test func aFailingWriteIsRolledBackAloneAndTheOthersInItsBatchAreStored() async throws {
    let store = try SQLiteStore(path: temporaryDatabasePath())
    let count = 300
    let results = await mixedWrites(store, count: count)
    let stored = try await store.auditEvents(matching: AuditQuery(type: "mixed", limit: count * 2))
    let storedIndexes = Set(stored.map { Int($0.detail!.dropFirst())! })
    for index in 0..<count {
      switch results[index] {
      case .success(let id):
        #expect(index % 3 != 0)
        #expect(stored.first { $0.detail == "e\(index)" }?.id == id)
      case .failure(let error):
        // The caller gets its own error, unmapped by the batch, and its row is gone.
        #expect(error as? WriteRefused == WriteRefused(index: index))
        #expect(!storedIndexes.contains(index))
      case nil:
        Issue.record("no answer for write \(index)")
      }
    }
    #expect(stored.count == count - (count + 2) / 3)
    #expect(store.writer.batchesWritten < count)
    try store.close()
  }

  @Test func aWriteReturnsOnlyOnceCommittedAndVisibleToOtherConnections() async throws {
    let path = temporaryDatabasePath()
    let store = try SQLiteStore(path: path)
    let id = try await store.appendAudit(AuditEvent(time: t0, type: "durable", outcome: .success))
    // A second store on the same file (another connection) sees it at once.
    let other = try SQLiteStore(path: path)
    let seen = try await other.auditEvents(matching: AuditQuery(type: "durable"))
    #expect(seen.map(\.id) == [id])
    try other.close()
    try store.close()
  }
}

/// A write runs in a savepoint, and SQLite keeps the pages a savepoint changes (once per open
/// savepoint, statements included) in a sub-journal. Past 64 KiB that journal spilled to a
/// file SQLite creates and unlinks in `/var/tmp` (`etilqs_…`): a create, an unlink and a
/// `pwrite` per page on one token commit in four, and a failed write where no temporary directory is
/// writable (a read-only root filesystem). The writer keeps it in memory (`temp_store`).
@Suite struct SavepointJournalTests {
  /// The files this process has open that SQLite created as temporary files.
  private static func openTemporaryFiles() -> [String] {
    let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return descriptors.compactMap { descriptor in
      let target = try? FileManager.default.destinationOfSymbolicLink(
        atPath: "/proc/self/fd/" + descriptor)
      return target.flatMap { $0.contains("etilqs_") ? $0 : nil }
    }
  }

  @Test func aWriteChangingManyPagesJournalsItsSavepointInMemory() async throws {
    let store = try SQLiteStore(path: temporaryDatabasePath())
    let rows = 400
    let padding = String(repeating: "x", count: 600)
    try await store.commit("test") { db in
      for index in 0..<rows {
        try AuditRow.insert(
          AuditEvent(
            time: t0, type: "journal", outcome: .success, detail: "\(index) \(padding)"), db)
      }
    }
    // Rewriting every row changes ≈ 60 existing pages (≈ 240 KiB of journal) in one savepoint.
    let (changed, temporaryFiles) = try await store.commit("test") { db in
      try db.execute(
        sql: "UPDATE audit_events SET detail = detail || 'y' WHERE type = 'journal'")
      return (db.changesCount, Self.openTemporaryFiles())
    }
    #expect(changed == rows)
    #expect(temporaryFiles == [])
    #expect(try store.pragma("temp_store") == "2")
    let stored = try await store.auditEvents(matching: AuditQuery(type: "journal", limit: rows))
    #expect(stored.count == rows)
    #expect(stored.allSatisfy { $0.detail?.hasSuffix("xy") == true })
    try store.close()
  }
}

/// Purges delete in commits of at most `bulkDeleteBatch` rows (`deleteInBatches`), so one
/// purge never holds a large journal in memory nor the writer for long; the count is the sum.
@Suite struct BulkDeleteTests {
  @Test func aPruneLargerThanOnePieceDeletesEveryMatchingRowInSeveralCommits() async throws {
    let store = try SQLiteStore(path: temporaryDatabasePath())
    let old = SQLiteStore.bulkDeleteBatch * 2 + 500
    try await store.commit("test") { db in
      for index in 0..<(old + 10) {
        // The last ten are newer than the cutoff and must stay.
        let time = index < old ? t0 : t0.addingTimeInterval(3600)
        try AuditRow.insert(
          AuditEvent(time: time, type: "bulk", outcome: .success, detail: "e\(index)"), db)
      }
    }
    let commitsBefore = store.writer.batchesWritten
    let deleted = try await store.pruneAudit(before: t0.addingTimeInterval(60))
    #expect(deleted == old)
    #expect(store.writer.batchesWritten - commitsBefore >= 3)
    let left = try await store.auditEvents(matching: AuditQuery(type: "bulk", limit: old))
    #expect(left.compactMap(\.detail).sorted() == (old..<(old + 10)).map { "e\($0)" }.sorted())
    #expect(try await store.pruneAudit(before: t0.addingTimeInterval(60)) == 0)
    try store.close()
  }
}

private struct WriteRefused: Error, Equatable {
  let index: Int
}

extension Result where Failure == any Error {
  init(catching body: () async throws -> Success) async {
    do {
      self = .success(try await body())
    } catch {
      self = .failure(error)
    }
  }
}

/// `JSONColumn.strings` reads the arrays this store writes without a JSONDecoder and hands
/// anything else to it, with the same answer.
@Suite struct JSONColumnStringsTests {
  @Test(arguments: [
    "[]", "[\"authorization_code\"]", "[\"authorization_code\",\"refresh_token\"]", "[\"é,x\"]",
    "[\"a\\\"b\"]", "[\"a\\\\b\"]", "[ \"spaced\" ]", "[\"\\u00e9\"]", "[\"\"]",
  ])
  func agreesWithJSONDecoder(text: String) throws {
    let expected = try JSONDecoder().decode([String].self, from: Data(text.utf8))
    #expect(try JSONColumn.strings(from: text, column: "grant_types") == expected)
  }

  @Test func theSimpleFormIsReadWithoutTheDecoderAndOthersAreNot() {
    #expect(JSONColumn.simpleStrings("[\"a\",\"b\"]") == ["a", "b"])
    #expect(JSONColumn.simpleStrings("[\"a\\\"b\"]") == nil)
    #expect(JSONColumn.simpleStrings("[ \"a\" ]") == nil)
    #expect(JSONColumn.simpleStrings("[\"a,b\"]") == nil)
  }

  @Test(arguments: ["", "[", "[\"a\"", "{\"a\":1}", "[1,2]", "[\"a\" \"b\"]"])
  func malformedTextIsCorruption(text: String) {
    #expect(throws: StoreError.corrupt("grant_types")) {
      try JSONColumn.strings(from: text, column: "grant_types")
    }
  }
}

/// Checkpoints run on their own connection, not inside a commit, and still keep the WAL bounded.
@Suite struct WALCheckpointerTests {
  @Test func theWriterNeverCheckpointsAndTheCheckpointerKeepsTheWALBounded() async throws {
    let path = temporaryDatabasePath()
    let store = try SQLiteStore(path: path)
    #expect(try store.pragma("wal_autocheckpoint") == "0")
    let commits = WALCheckpointer.commitsPerCheckpoint * 8
    for index in 0..<commits {
      try await store.appendAudit(
        AuditEvent(time: t0, type: "wal", outcome: .success, detail: "event \(index)"))
    }
    store.checkpointer.checkpointNow()
    // One more commit restarts the WAL from its beginning once everything was copied.
    try await store.appendAudit(AuditEvent(time: t0, type: "wal", outcome: .success))
    #expect(store.checkpointer.checkpointsRun >= 8)
    let walBytes = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int
    // Without the writer finishing checkpoints it never rewinds (about 22 MB here).
    #expect((walBytes ?? .max) < WALCheckpointer.commitsPerCheckpoint * 8 * 4096 * 2)
    let stored = try await store.auditEvents(matching: AuditQuery(type: "wal", limit: commits * 2))
    #expect(stored.count == commits + 1)
    try store.close()
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
  }
}

/// Closing the store while writes and checkpoints run: every write either commits or fails
/// with `StoreError.unavailable`, and nothing reaches SQLite through a closed handle (the
/// writer's checkpoint once did, and crashed the process).
@Suite struct CloseWhileWritingTests {
  @Test func closingDuringWritesAndCheckpointsAnswersEveryWrite() async throws {
    for round in 0..<20 {
      let store = try SQLiteStore(path: temporaryDatabasePath())
      let writers = 8
      let perWriter = 60
      async let outcomes = withTaskGroup(of: (Int, Int).self) { group in
        for writer in 0..<writers {
          group.addTask {
            var committed = 0
            var refused = 0
            for index in 0..<perWriter {
              do {
                try await store.appendAudit(
                  AuditEvent(
                    time: t0, type: "close.race", outcome: .success,
                    detail: "\(round)-\(writer)-\(index)"))
                committed += 1
              } catch let error as StoreError {
                guard case .unavailable = error else {
                  Issue.record("unexpected \(error)")
                  return (committed, refused)
                }
                refused += 1
              } catch {
                Issue.record("unexpected \(error)")
              }
            }
            return (committed, refused)
          }
        }
        return await group.reduce(into: (0, 0)) { $0 = ($0.0 + $1.0, $0.1 + $1.1) }
      }
      try await Task.sleep(for: .milliseconds(round % 10 + 1))
      try store.close()
      let (committed, refused) = await outcomes
      #expect(committed + refused == writers * perWriter)
    }
  }

  /// The narrowest window: a write's caller is resumed before the writer finishes a checkpoint,
  /// and closes the store at once.
  @Test func closingRightAfterTheWriteThatFinishesACheckpoint() async throws {
    for round in 0..<100 {
      let store = try SQLiteStore(path: temporaryDatabasePath())
      try await store.appendAudit(AuditEvent(time: t0, type: "close.race", outcome: .success))
      store.checkpointer.checkpointNow()
      // This commit makes the writer finish the checkpoint, after resuming us.
      try await store.appendAudit(
        AuditEvent(time: t0, type: "close.race", outcome: .success, detail: "\(round)"))
      try store.close()
    }
  }
}
