public import Foundation

/// A resource owner who logs in on the authorization page.
public struct User: Sendable, Equatable, Codable {
  /// The user's identifier; becomes the access token's `sub`.
  public var id: String
  /// The login name.
  public var username: String
  /// Self-describing password hash (`$scrypt$ln=…`); never the password.
  public var passwordHash: String
  /// A disabled user cannot log in.
  public var disabled: Bool
  /// When the user was created.
  public var createdAt: Date

  /// Creates a user record; the password must already be hashed.
  public init(
    id: String, username: String, passwordHash: String, disabled: Bool = false, createdAt: Date
  ) {
    self.id = id
    self.username = username
    self.passwordHash = passwordHash
    self.disabled = disabled
    self.createdAt = createdAt
  }
}
