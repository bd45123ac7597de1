/// A store that keeps caches it can drop when the server goes quiet (SQLite's page caches and
/// idle reader connections). `latchkey serve` calls it once after the load stops
/// (`MemoryReturn`), so the process's memory falls back near its idle size.
public protocol MemoryReleasing: Sendable {
  /// Drops what can be rebuilt on demand; blocks until the store's current work is done.
  func releaseMemory()
}
