public import Foundation

/// Where a signing key is in its life.
public enum SigningKeyState: String, Sendable, Codable, CaseIterable {
  /// Signs new tokens (exactly one key at a time) and is published in JWKS.
  case active
  /// No longer signs, still published so tokens it signed verify until they expire.
  case published
  /// Neither signs nor is published.
  case retired
}

/// A signing key as stored: the private key PEM (the database file is mode 0600).
public struct SigningKeyRecord: Sendable, Equatable, Codable {
  public var kid: String
  public var algorithm: String
  public var privateKeyPEM: String
  public var state: SigningKeyState
  public var createdAt: Date
  /// When this key stopped being active; tokens it signed live at most one access-token lifetime
  /// past this.
  public var deactivatedAt: Date?
  public var retiredAt: Date?

  public init(
    kid: String, algorithm: String, privateKeyPEM: String, state: SigningKeyState,
    createdAt: Date, deactivatedAt: Date? = nil, retiredAt: Date? = nil
  ) {
    self.kid = kid
    self.algorithm = algorithm
    self.privateKeyPEM = privateKeyPEM
    self.state = state
    self.createdAt = createdAt
    self.deactivatedAt = deactivatedAt
    self.retiredAt = retiredAt
  }
}
