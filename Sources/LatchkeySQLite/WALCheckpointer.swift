import Dispatch
import GRDB
import Synchronization

/// Moves WAL checkpoints off the write path.
///
/// By default SQLite checkpoints inside the commit that pushes the WAL past 1,000 pages: that
/// commit copies the pages into the database file and fsyncs it, and with group commit every
/// write queued behind it waits too (a latency spike every few hundred token requests). The
/// writer connection runs with `wal_autocheckpoint = 0` instead, and this checkpointer runs
/// `PRAGMA wal_checkpoint(PASSIVE)` on its own connection and thread after every
/// `commitsPerCheckpoint` commits. A PASSIVE checkpoint never blocks the writer or readers
/// (SQLite WAL mode, "Checkpointing").
///
/// Under steady writes that alone would never let the WAL restart: SQLite rewinds the WAL only
/// when a write transaction begins with every frame already copied, and by the time a
/// background checkpoint ends, newer commits sit in the WAL. So once the background copy is
/// done, the writer finishes the checkpoint itself between two batches (`noteCommit` answers
/// true): only the frames written meanwhile are left to copy, and the next write rewinds the
/// WAL, which keeps the file bounded.
final class WALCheckpointer: Sendable {
  /// Commits between checkpoints. A commit (a batch of writes) adds a few to a few dozen pages,
  /// so each checkpoint copies and flushes a few hundred pages: short bursts of I/O next to the
  /// writer's WAL fsyncs, and the WAL stays under SQLite's default of 1,000 pages.
  static let commitsPerCheckpoint = 32

  private enum Phase: Sendable {
    /// Counting commits since the last finished checkpoint.
    case counting(Int)
    /// The background checkpoint is copying.
    case copying
    /// The background copy is done; the writer finishes the checkpoint next.
    case copied
  }

  private struct State: Sendable {
    var phase = Phase.counting(0)
    var connection: DatabaseQueue?
  }

  private let state: Mutex<State>
  private let queue = DispatchQueue(label: "latchkey.sqlite.checkpointer", qos: .utility)
  private let runs = Atomic<Int>(0)

  /// Opens the checkpointing connection on the database at `path`.
  init(path: String, configuration: Configuration) throws {
    state = Mutex(State(connection: try DatabaseQueue(path: path, configuration: configuration)))
  }

  /// Checkpoints run so far (tests and diagnostics).
  var checkpointsRun: Int { runs.load(ordering: .relaxed) }

  /// Counts one commit of the writer; every `commitsPerCheckpoint`-th starts a background
  /// checkpoint. True when the writer should finish a checkpoint now (the background copy is
  /// done): a PASSIVE checkpoint on the writer connection, before its next batch.
  func noteCommit() -> Bool {
    let (starts, finishes) = state.withLock { state -> (Bool, Bool) in
      switch state.phase {
      case .copying:
        return (false, false)
      case .copied:
        state.phase = .counting(0)
        return (false, true)
      case .counting(let commits):
        guard commits + 1 >= Self.commitsPerCheckpoint, state.connection != nil else {
          state.phase = .counting(commits + 1)
          return (false, false)
        }
        state.phase = .copying
        return (true, false)
      }
    }
    if starts { queue.async { self.checkpoint() } }
    return finishes
  }

  /// One PASSIVE checkpoint now, on the checkpointer's thread; returns when it is done.
  func checkpointNow() {
    queue.sync { self.checkpoint() }
  }

  private func checkpoint() {
    let connection = state.withLock { $0.connection }
    // A failed checkpoint leaves the WAL as it is; the next one copies what this one did not.
    try? connection?.writeWithoutTransaction { db in
      _ = try db.checkpoint(.passive)
    }
    runs.add(1, ordering: .relaxed)
    state.withLock { $0.phase = .copied }
  }

  /// Closes the connection once any running checkpoint is done; later commits start none.
  func close() throws {
    try queue.sync {
      let connection = state.withLock { state in
        defer { state.connection = nil }
        return state.connection
      }
      try connection?.close()
    }
  }
}
