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
  /// The key id (RFC 7638 thumbprint) that tokens carry in their header.
  public var kid: String
  /// `ES256`, `EdDSA` or `RS256`.
  public var algorithm: String
  /// The private key, PKCS#8 PEM.
  public var privateKeyPEM: String
  /// Active, published or retired.
  public var state: SigningKeyState
  /// When the key was generated.
  public var createdAt: Date
  /// When this key stopped being active; tokens it signed live at most one access-token lifetime
  /// past this.
  public var deactivatedAt: Date?
  /// When the key stopped being published.
  public var retiredAt: Date?

  /// Creates a key record.
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
