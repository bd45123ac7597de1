import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// Creates the demo user, or resets the password (and re-enables) of the one already there,
/// keeping its id so earlier grants and notes stay theirs.
enum DemoUser {
  enum Change: String, Sendable {
    case created, reset
  }

  static func ensure(
    username: String, password: String, logN: Int, store: any LatchkeyStore, now: Date
  ) async throws -> Change {
    let hasher = ScryptPasswordHasher(parameters: ScryptParameters(logN: logN, r: 8, p: 1))
    let hash = try hasher.hash(password)
    if var user = try await store.user(username: username) {
      user.passwordHash = hash
      user.disabled = false
      try await store.updateUser(user)
      return .reset
    }
    try await store.insertUser(
      User(
        id: UUID().uuidString.lowercased(), username: username, passwordHash: hash,
        createdAt: now))
    return .created
  }
}
