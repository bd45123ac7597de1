import Foundation
import LatchkeyCore
import LatchkeyJOSE
import Synchronization

/// The in-memory table of login sessions, keyed by the hash of the cookie value so the table
/// never holds a usable cookie.
final class LoginSessions: Sendable {
  /// How long a sign-in is remembered for the consent step and later authorizations.
  static let lifetime: TimeInterval = 8 * 3600
  /// Above this many rows, expired ones are swept on the next sign-in.
  static let sweepThreshold = 10_000

  private let sessions = Mutex<[String: LoginSession]>([:])

  /// Starts a session and returns the cookie value: 256 random bits.
  func start(userID: String, at now: Date) -> String {
    let id = SecureRandom.token()
    sessions.withLock { sessions in
      if sessions.count >= Self.sweepThreshold {
        sessions = sessions.filter { $0.value.expiresAt > now }
      }
      sessions[SecretHash.of(id)] = LoginSession(
        userID: userID, expiresAt: now.addingTimeInterval(Self.lifetime))
    }
    return id
  }

  /// The live session a cookie value names, or nil.
  func session(id: String, at now: Date) -> LoginSession? {
    let key = SecretHash.of(id)
    return sessions.withLock { sessions in
      guard let session = sessions[key] else { return nil }
      guard session.expiresAt > now else {
        sessions[key] = nil
        return nil
      }
      return session
    }
  }
}
