import LatchkeyCore
import LatchkeyHTTP
import Logging
import ServiceLifecycle

#if canImport(CGlibcMalloc)
  import CGlibcMalloc
#endif

/// When a quiet server gives memory back: once per load, at the first check that saw at most
/// `quietRequests` requests since the previous one (the load stopped; health probes and a
/// trickle do not count as load) after at least `loadRequests` requests since the last
/// release (there is something to give back).
///
/// A pure decision on request counts (`RequestActivity`); issue 26's goal is memory within
/// 10 % of idle a minute after the load stops.
enum MemoryReturnRule {
  /// Requests per check interval that still count as quiet.
  static let quietRequests = 20
  /// Requests since the last release that make a release worth it.
  static let loadRequests = 1_000

  /// - Parameters:
  ///   - sincePrevious: requests since the previous check;
  ///   - sinceRelease: requests since the last release (or since start).
  static func shouldRelease(sincePrevious: Int, sinceRelease: Int) -> Bool {
    sincePrevious <= quietRequests && sinceRelease >= loadRequests
  }
}

/// Gives memory back after a load: glibc's free heap pages (`malloc_trim(0)`: freed memory
/// that malloc keeps in its arenas; measured 4.5 of the 8.8 MB a token-endpoint load at 64
/// connections added), the store's caches (`MemoryReleasing`: SQLite page caches and idle
/// reader connections) and the page-table entries of read-only file mappings
/// (`FileBackedPages`: code and constants of the binary and its libraries that start-up or
/// the load touched). Runs once `settle` after start (only the file pages: start-up's one-time
/// code), then every `interval`, releasing only when `MemoryReturnRule` says the load stopped,
/// so a busy server never pays for it.
struct MemoryReturn: Service {
  let store: any LatchkeyStore
  let interval: Duration
  var settle: Duration = .seconds(1)
  /// Whether file pages are released too (`latchkey serve`; not the in-process servers of
  /// tests, where the process is the test runner and its code is shared by every test).
  var releasesFilePages = false
  let logger: Logger

  /// Frees what the process holds beyond its live data (also called by tests).
  func release() {
    (store as? any MemoryReleasing)?.releaseMemory()
    #if canImport(CGlibcMalloc)
      _ = malloc_trim(0)
    #endif
    if releasesFilePages { FileBackedPages.release() }
  }

  func run() async throws {
    do {
      try await cancelWhenGracefulShutdown { try await Task.sleep(for: settle) }
    } catch {
      return
    }
    // Start-up's one-time code; the store and the heap have nothing to give back yet (and
    // releasing the store waits for its connections, which a starting server is using).
    if releasesFilePages { FileBackedPages.release() }
    var previous = RequestActivity.count
    var released = previous
    while !Task.isCancelled, !Task.isShuttingDownGracefully {
      do {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
      } catch {
        return
      }
      let current = RequestActivity.count
      if MemoryReturnRule.shouldRelease(
        sincePrevious: current - previous, sinceRelease: current - released)
      {
        release()
        released = current
        logger.debug("memory returned after the load", metadata: ["requests": "\(current)"])
      }
      previous = current
    }
  }
}
