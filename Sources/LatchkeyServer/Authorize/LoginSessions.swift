import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// Login sessions, kept in the `EphemeralStateStore` under the hash of the cookie value so the
/// table never holds a usable cookie (in process for SQLite, in the database for PostgreSQL so
/// every instance knows every session).
struct LoginSessions: Sendable {
  /// How long a sign-in is remembered for the consent step and later authorizations.
  static let lifetime: TimeInterval = 8 * 3600

  let state: any EphemeralStateStore

  /// Starts a session and returns the cookie value: 256 random bits.
  func start(userID: String, at now: Date) async throws -> String {
    let id = SecureRandom.token()
    try await state.startLoginSession(
      hash: SecretHash.of(id),
      session: StoredLoginSession(userID: userID, expiresAt: now.addingTimeInterval(Self.lifetime)))
    return id
  }

  /// The live session a cookie value names, or nil.
  func session(id: String, at now: Date) async throws -> StoredLoginSession? {
    try await state.loginSession(hash: SecretHash.of(id), at: now)
  }
}
