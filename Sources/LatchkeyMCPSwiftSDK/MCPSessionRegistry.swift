import Synchronization

/// The open sessions of one `MCPStreamableHTTPEndpoint`, by id: their owner, when each was last
/// used and how many of its requests (and response streams) are still open, so that a session
/// idle past `idleTimeout` ends, at most `maximumSessions` exist, and shutdown ends them all.
final class MCPSessionRegistry: Sendable {
  /// A session with what expiry needs.
  private struct Entry: Sendable {
    let session: MCPSession
    var lastUsed: ContinuousClock.Instant
    var active: Int

    /// Nothing open, and unused for longer than `timeout` at `now`.
    func isIdle(at now: ContinuousClock.Instant, longerThan timeout: Duration) -> Bool {
      active == 0 && now - lastUsed > timeout
    }
  }

  private let sessions = Mutex<[String: Entry]>([:])
  private let idleTimeout: Duration
  private let maximumSessions: Int

  init(idleTimeout: Duration, maximumSessions: Int) {
    self.idleTimeout = idleTimeout
    self.maximumSessions = maximumSessions
  }

  /// Number of open sessions.
  var count: Int { sessions.withLock { $0.count } }

  /// Ends the idle sessions, then tells whether another session fits under `maximumSessions`.
  func makeRoom() async -> Bool {
    await expireIdle()
    return count < maximumSessions
  }

  /// The session with this id, counted as in use until `release`; nil when unknown, or idle
  /// past `idleTimeout` (then it is ended now).
  func use(_ id: String) async -> MCPSession? {
    let now = ContinuousClock.now
    let (found, expired) = sessions.withLock { sessions -> (MCPSession?, MCPSession?) in
      guard var entry = sessions[id] else { return (nil, nil) }
      if entry.isIdle(at: now, longerThan: idleTimeout) {
        sessions[id] = nil
        return (nil, entry.session)
      }
      entry.active += 1
      entry.lastUsed = now
      sessions[id] = entry
      return (entry.session, nil)
    }
    if let expired { await expired.server.stop() }
    return found
  }

  /// Adds a session the transport just named, in use by the request that created it.
  func add(_ session: MCPSession, id: String) {
    sessions.withLock { $0[id] = Entry(session: session, lastUsed: .now, active: 1) }
  }

  /// Ends one use of the session (its response, stream included, is finished).
  func release(_ id: String) {
    sessions.withLock { sessions in
      guard var entry = sessions[id] else { return }
      entry.active = max(0, entry.active - 1)
      entry.lastUsed = .now
      sessions[id] = entry
    }
  }

  /// Forgets the session (the client ended it) and stops its server.
  func end(_ id: String, session: MCPSession) async {
    sessions.withLock { $0[id] = nil }
    await session.server.stop()
  }

  /// Ends every session idle past `idleTimeout` with nothing open.
  func expireIdle() async {
    let now = ContinuousClock.now
    let expired = sessions.withLock { sessions -> [MCPSession] in
      let ids = sessions.filter { $0.value.isIdle(at: now, longerThan: idleTimeout) }.map(\.key)
      return ids.compactMap { sessions.removeValue(forKey: $0)?.session }
    }
    for session in expired { await session.server.stop() }
  }

  /// Stops every session's server.
  func shutdown() async {
    let all = sessions.withLock { sessions in
      defer { sessions = [:] }
      return sessions.values.map(\.session)
    }
    for session in all { await session.server.stop() }
  }
}
