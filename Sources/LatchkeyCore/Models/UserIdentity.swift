public import Foundation

/// A link between a Latchkey user and an account at an upstream identity provider: the
/// provider's configured id and the `sub` it asserts (OpenID Connect Core §5.7: `iss` + `sub`
/// identify the end-user; the provider id stands for the issuer).
public struct UserIdentity: Sendable, Equatable, Codable {
  /// The provider's `id` in `identity_providers`.
  public var provider: String
  /// The upstream `sub`.
  public var subject: String
  public var userID: String
  public var createdAt: Date
  /// The groups or roles the provider reported at the last sign-in (`groups_claim`; GitHub:
  /// none), which `scope_mappings` turn into the scopes the user may be granted.
  public var groups: [String]

  public init(
    provider: String, subject: String, userID: String, createdAt: Date, groups: [String] = []
  ) {
    self.provider = provider
    self.subject = subject
    self.userID = userID
    self.createdAt = createdAt
    self.groups = groups
  }
}
