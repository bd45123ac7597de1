public import Foundation
public import LatchkeyCore
import PostgresNIO

/// Sessions, login back-off and registration windows in the database, so every instance sees
/// the same ones (docs/storage.md). Decisions use the same pure rules as the in-process
/// implementation, on rows locked for the transaction.
extension PostgresStore {
  public func startLoginSession(hash: String, session: StoredLoginSession) async throws {
    try await transaction("session") { db in
      try await db.run(
        """
        INSERT INTO login_sessions (session_hash, user_id, expires_at)
        VALUES (\(hash), \(session.userID), \(session.expiresAt.millis))
        ON CONFLICT (session_hash) DO UPDATE SET user_id = excluded.user_id,
          expires_at = excluded.expires_at
        """)
    }
  }

  public func loginSession(hash: String, at now: Date) async throws -> StoredLoginSession? {
    try await transaction("session") { db in
      try await db.row(
        """
        SELECT user_id, expires_at FROM login_sessions
        WHERE session_hash = \(hash) AND expires_at > \(now.millis)
        """
      ).map {
        StoredLoginSession(userID: try $0.text("user_id"), expiresAt: try $0.date("expires_at"))
      }
    }
  }

  public func loginRefusal(account: String, at now: Date) async throws -> Date? {
    try await transaction("login throttle") { db in
      try await db.row(
        """
        SELECT refused_until FROM login_backoffs
        WHERE account = \(account) AND refused_until > \(now.millis)
        """
      ).map { try $0.date("refused_until") }
    }
  }

  /// Counts the failure with one UPSERT (the row lock orders concurrent failures on any
  /// instance), then sets the window `LoginBackoffRule` gives for the new count.
  public func recordLoginFailure(
    account: String, policy: LoginBackoffRule.Policy, at now: Date
  ) async throws -> Date? {
    try await transaction("login throttle") { db in
      guard
        let failures = try await db.row(
          """
          INSERT INTO login_backoffs (account, failures, refused_until, updated_at)
          VALUES (\(account), 1, NULL, \(now.millis))
          ON CONFLICT (account) DO UPDATE SET failures = login_backoffs.failures + 1,
            updated_at = excluded.updated_at
          RETURNING failures
          """
        ).map({ try $0.int("failures") })
      else { return nil }
      guard let window = policy.window(afterFailures: failures) else { return nil }
      let until = now.addingTimeInterval(window)
      try await db.run(
        """
        UPDATE login_backoffs SET refused_until = \(until.millis)
        WHERE account = \(account)
        """)
      return until
    }
  }

  public func recordLoginSuccess(account: String) async throws {
    try await transaction("login throttle") { db in
      try await db.run("DELETE FROM login_backoffs WHERE account = \(account)")
    }
  }

  /// Locks (creating when absent) the window row of `key`, then applies `FixedWindowRule`.
  public func acquireRateSlot(key: String, limit: Int, window: TimeInterval, at now: Date)
    async throws -> Int?
  {
    let windowMillis = Int64((window * 1000).rounded())
    return try await transaction("rate limit") { db in
      try await db.run(
        """
        INSERT INTO rate_windows (key, window_start, count, window_millis)
        VALUES (\(key), \(now.millis), 0, \(windowMillis))
        ON CONFLICT (key) DO NOTHING
        """)
      guard
        let row = try await db.row(
          "SELECT window_start, count FROM rate_windows WHERE key = \(key) FOR UPDATE")
      else { throw StoreError.unavailable("rate window vanished") }
      switch FixedWindowRule.decide(
        start: try row.date("window_start"), count: try row.int("count"), limit: limit,
        window: window, now: now)
      {
      case .success(let next):
        try await db.run(
          """
          UPDATE rate_windows SET window_start = \(next.start.millis), count = \(next.count),
            window_millis = \(windowMillis)
          WHERE key = \(key)
          """)
        return nil
      case .failure(let retry):
        return retry.seconds
      }
    }
  }

  /// Deletes expired sessions, finished windows, and back-offs idle for a day whose window
  /// has passed.
  public func pruneEphemeralState(at now: Date) async throws {
    try await transaction("ephemeral state") { db in
      try await db.run("DELETE FROM login_sessions WHERE expires_at <= \(now.millis)")
      try await db.run(
        "DELETE FROM authorization_interactions WHERE expires_at <= \(now.millis)")
      try await db.run("DELETE FROM trusted_devices WHERE expires_at <= \(now.millis)")
      try await db.run("DELETE FROM client_assertion_ids WHERE expires_at <= \(now.millis)")
      try await db.run(
        "DELETE FROM rate_windows WHERE window_start + window_millis <= \(now.millis)")
      try await db.run(
        """
        DELETE FROM login_backoffs
        WHERE updated_at < \(now.addingTimeInterval(-86_400).millis)
          AND COALESCE(refused_until, 0) <= \(now.millis)
        """)
    }
  }
}
