import Foundation

/// A signed-in user on this server's pages. Kept in memory only: a restart signs everybody out
/// and cancels logins in progress, nothing else.
struct LoginSession: Sendable, Equatable {
  var userID: String
  var expiresAt: Date
}
