import Dispatch
import GRDB
import Synchronization

/// Group commit for every write of the store.
///
/// Under `synchronous=FULL` each commit waits for an fsync (about 0.2 ms here). Done on the
/// caller's thread, that wait blocks one of Swift's cooperative threads (two on a 2-core
/// machine) and caps the token endpoint at one commit per request. Instead, writes are queued
/// and run by one writer thread: it takes every queued write, runs each inside its own
/// SAVEPOINT of one IMMEDIATE transaction, commits once, then resumes the callers. Writes that
/// arrive during a commit form the next batch, so N concurrent requests pay one fsync, and the
/// callers are suspended (not blocking threads) while it happens.
///
/// Semantics are those of one transaction per write, run one after another in arrival order:
/// - a write that throws is rolled back to its savepoint and only its caller sees the error;
///   the other writes of the batch are unaffected;
/// - every caller returns only after the commit that holds its write succeeded, so durability
///   and "stored before answered" are unchanged;
/// - when the commit fails, or SQLite aborts the whole transaction, every caller of the batch
///   gets the error (none of their writes were stored).
final class GroupCommitWriter: Sendable {
  /// One queued write: runs the body inside a savepoint, then reports.
  private struct Job: Sendable {
    /// Runs the body on the writer's connection (inside the batch transaction); the outcome is
    /// kept by the job until `finish` is called.
    let run: @Sendable (Database) -> Bool
    /// Resumes the caller: with the body's outcome, or with `error` when the batch failed.
    let finish: @Sendable ((any Error)?) -> Void
  }

  private struct State: Sendable {
    var pending: [Job] = []
    var draining = false
    /// After `close`, writes fail at once and the pool is never touched again.
    var closed = false
  }

  /// Most writes one transaction carries.
  static let maximumBatch = 256

  private let pool: DatabasePool
  private let checkpointer: WALCheckpointer?
  private let queue = DispatchQueue(label: "latchkey.sqlite.writer", qos: .userInitiated)
  private let state = Mutex(State())
  private let batches = Atomic<Int>(0)

  /// - Parameter checkpointer: told of every commit (nil: SQLite's own auto-checkpoint).
  init(pool: DatabasePool, checkpointer: WALCheckpointer? = nil) {
    self.pool = pool
    self.checkpointer = checkpointer
  }

  /// Transactions committed or attempted so far (tests and diagnostics).
  var batchesWritten: Int { batches.load(ordering: .relaxed) }

  /// Runs `body` as its own savepoint in the next batch transaction and returns its value once
  /// that transaction is committed. Errors are GRDB's (the caller maps them).
  func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      let outcome = Outcome<T>()
      enqueue(
        Job(
          run: { db in
            let result = Result<T, any Error> {
              var value: T?
              try db.inSavepoint {
                value = try body(db)
                return .commit
              }
              guard let value else { throw DatabaseError(resultCode: .SQLITE_MISUSE) }
              return value
            }
            return outcome.keep(result)
          },
          finish: { batchError in
            if let batchError {
              continuation.resume(throwing: batchError)
            } else {
              continuation.resume(with: outcome.taken)
            }
          }))
    }
  }

  private func enqueue(_ job: Job) {
    enum Next { case wait, drain, refuse }
    let next = state.withLock { state -> Next in
      if state.closed { return .refuse }
      state.pending.append(job)
      if state.draining { return .wait }
      state.draining = true
      return .drain
    }
    switch next {
    case .wait: break
    case .drain: queue.async { self.drain() }
    case .refuse: job.finish(Self.closedError)
    }
  }

  static let closedError = DatabaseError(resultCode: .SQLITE_MISUSE, message: "the store is closed")

  /// Stops writing: writes queued or arriving later fail with `SQLITE_MISUSE`; returns once the
  /// batch being written (if any) is done. Call before closing the pool, so no write (nor the
  /// writer's checkpoint, which would reach SQLite with a closed handle) races the close.
  func close() {
    state.withLock { $0.closed = true }
    queue.sync {}
  }

  /// Writes batches until the queue is empty (on the writer thread).
  private func drain() {
    while true {
      let (batch, closed) = state.withLock { state -> ([Job], Bool) in
        guard !state.pending.isEmpty else {
          state.draining = false
          return ([], state.closed)
        }
        let taken =
          state.closed ? state.pending : Array(state.pending.prefix(Self.maximumBatch))
        state.pending.removeFirst(taken.count)
        return (taken, state.closed)
      }
      if batch.isEmpty { return }
      if closed {
        for job in batch { job.finish(Self.closedError) }
        continue
      }
      commit(batch)
    }
  }

  /// One IMMEDIATE transaction holding `batch`, each job in its savepoint; one commit.
  private func commit(_ batch: [Job]) {
    batches.add(1, ordering: .relaxed)
    do {
      try pool.writeWithoutTransaction { db in
        try db.inTransaction(.immediate) {
          for (index, job) in batch.enumerated() where !job.run(db) {
            // A failed statement can make SQLite roll the whole transaction back (disk full,
            // I/O error); then nothing of this batch is stored.
            guard db.isInsideTransaction else { throw BatchAborted(index: index) }
          }
          return .commit
        }
      }
    } catch let aborted as BatchAborted {
      // The job that failed keeps its own error; the others were rolled back with it.
      let failure = DatabaseError(resultCode: .SQLITE_ABORT)
      for (index, job) in batch.enumerated() { job.finish(index == aborted.index ? nil : failure) }
      return
    } catch {
      for job in batch { job.finish(error) }
      return
    }
    let finishCheckpoint = checkpointer?.noteCommit() ?? false
    for job in batch { job.finish(nil) }
    if finishCheckpoint, !state.withLock({ $0.closed }) {
      // Copies what was committed since the background checkpoint; a failure leaves the WAL
      // for the next round.
      try? pool.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
    }
  }

  /// SQLite rolled the transaction back while running the job at `index`.
  private struct BatchAborted: Error {
    let index: Int
  }
}

/// The result of one queued write, set on the writer thread before its caller is resumed.
private final class Outcome<T: Sendable>: Sendable {
  private let result = Mutex<Result<T, any Error>>(
    .failure(DatabaseError(resultCode: .SQLITE_MISUSE)))

  /// Keeps `result`; true when it is a success.
  func keep(_ result: Result<T, any Error>) -> Bool {
    self.result.withLock { $0 = result }
    if case .success = result { return true }
    return false
  }

  var taken: Result<T, any Error> { result.withLock { $0 } }
}
