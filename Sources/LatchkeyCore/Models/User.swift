public import Foundation

/// A resource owner who logs in on the authorization page.
public struct User: Sendable, Equatable, Codable {
  public var id: String
  public var username: String
  /// Self-describing password hash (`$scrypt$ln=…`); never the password.
  public var passwordHash: String
  public var disabled: Bool
  public var createdAt: Date

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
