import NIOCore
import Synchronization

/// Idle keep-alive connections to the one upstream (RFC 9112 §9.3 persistence), newest first
/// out. At most `maximumIdle` are kept; one idle for `idleTimeout` or closed by the upstream is
/// closed and dropped instead of being handed out.
final class ConnectionPool: Sendable {
  private struct Idle {
    let connection: PooledConnection
    let since: NIODeadline
  }

  let maximumIdle: Int
  let idleTimeout: TimeAmount
  private let idle = Mutex<[Idle]>([])

  init(maximumIdle: Int = 32, idleTimeout: TimeAmount = .seconds(30)) {
    self.maximumIdle = maximumIdle
    self.idleTimeout = idleTimeout
  }

  /// Number of idle connections (for tests).
  var idleCount: Int { idle.withLock { $0.count } }

  /// The event loops of the idle connections, oldest first (for tests).
  var idleEventLoops: [any EventLoop] { idle.withLock { $0.map(\.connection.channel.eventLoop) } }

  /// The most recently used idle connection that is still open and young enough, if any: one
  /// of `loop` (the caller's event loop) first, else any.
  func checkOut(preferring loop: (any EventLoop)? = nil) -> PooledConnection? {
    let now = NIODeadline.now()
    var dropped: [PooledConnection] = []
    let found = idle.withLock { idle -> PooledConnection? in
      Self.sweep(&idle, now: now, idleTimeout: idleTimeout, into: &dropped)
      let index =
        loop.flatMap { loop in idle.lastIndex { $0.connection.channel.eventLoop === loop } }
        ?? idle.indices.last
      return index.map { idle.remove(at: $0).connection }
    }
    for connection in dropped { connection.close() }
    return found
  }

  /// Keeps a connection whose last response was read completely, closing it if the pool is
  /// full; sweeps connections that closed or idled too long meanwhile.
  func checkIn(_ connection: PooledConnection) {
    let now = NIODeadline.now()
    var dropped: [PooledConnection] = []
    idle.withLock { idle in
      Self.sweep(&idle, now: now, idleTimeout: idleTimeout, into: &dropped)
      if connection.isActive, idle.count < maximumIdle {
        idle.append(Idle(connection: connection, since: now))
      } else {
        dropped.append(connection)
      }
    }
    for connection in dropped { connection.close() }
  }

  /// Moves the connections that closed or idled longer than `idleTimeout` from `idle` to
  /// `dropped` (closed by the caller, outside the lock).
  private static func sweep(
    _ idle: inout [Idle], now: NIODeadline, idleTimeout: TimeAmount,
    into dropped: inout [PooledConnection]
  ) {
    idle.removeAll { entry in
      let usable = entry.connection.isActive && now - entry.since < idleTimeout
      if !usable { dropped.append(entry.connection) }
      return !usable
    }
  }
}
