/// SQLite's `PRAGMA synchronous` level for the database file (`database_synchronous`).
public enum DatabaseSynchronous: String, Sendable, Codable, CaseIterable {
  /// fsync every commit: an acknowledged token, revocation or consumed code survives power loss.
  case full = "FULL"
  /// Survives process crashes only; far faster where fsync is slow.
  case normal = "NORMAL"
}
