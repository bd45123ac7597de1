public import Foundation

/// How `SQLiteStore` opens its database.
public struct SQLiteConfiguration: Sendable, Equatable {
  /// SQLite `PRAGMA synchronous` levels the store offers.
  public enum Synchronous: String, Sendable, Equatable, CaseIterable {
    /// fsync the WAL on every commit: an acknowledged transaction survives power loss and a
    /// kill -9. The default: a token the AS handed out must not come back from the dead.
    case full = "FULL"
    /// fsync the WAL only at checkpoints: survives a process crash, but the last transactions
    /// can be lost on power loss or an OS crash. Only for disks where FULL is measurably slow.
    case normal = "NORMAL"
  }

  /// Applies pending embedded migrations when the store opens. When false, the store only
  /// refuses a schema newer than this binary (`latchkey migrate` then applies them).
  public var migrateOnOpen: Bool
  /// Durability of each commit; see `Synchronous` and docs/storage.md.
  public var synchronous: Synchronous
  /// How long a write waits for another process's lock before `StoreError.unavailable`.
  public var busyTimeout: TimeInterval
  /// Concurrent reader connections of the WAL pool.
  public var maximumReaderCount: Int

  public init(
    migrateOnOpen: Bool = true, synchronous: Synchronous = .full, busyTimeout: TimeInterval = 5,
    maximumReaderCount: Int = 5
  ) {
    self.migrateOnOpen = migrateOnOpen
    self.synchronous = synchronous
    self.busyTimeout = busyTimeout
    self.maximumReaderCount = maximumReaderCount
  }
}
