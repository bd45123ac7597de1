public import Foundation

/// The token vault's row: an identity provider's access and refresh tokens for one Latchkey
/// grant, sealed (AES-256-GCM) by the authorization server before they reach the store, so
/// the database alone never reveals them (issue 23 §4, docs/identity-providers.md).
///
/// A record is written *pending* for the authorization interaction whose sign-in produced it
/// and tied to the grant when that interaction issues its code; revoking the grant deletes it.
public struct UpstreamTokenRecord: Sendable, Equatable {
  /// Random; part of the sealed box's associated data, so a box cannot be moved to another row.
  public var id: String
  public var userID: String
  /// The provider's `id` in `identity_providers`.
  public var provider: String
  /// The grant the tokens serve; nil while pending.
  public var grantID: String?
  /// The interaction that signed in, while pending; nil once tied to a grant.
  public var interactionID: String?
  /// Which vault key sealed `sealed`.
  public var keyID: String
  /// The sealed token set (base64url of version, nonce, ciphertext and tag).
  public var sealed: String
  /// When the upstream access token expires, when the provider said; not a secret.
  public var accessExpiresAt: Date?
  /// Incremented by every update; updates compare it (one refresh wins).
  public var version: Int
  public var createdAt: Date
  public var updatedAt: Date

  public init(
    id: String, userID: String, provider: String, grantID: String? = nil,
    interactionID: String? = nil, keyID: String, sealed: String, accessExpiresAt: Date? = nil,
    version: Int = 1, createdAt: Date, updatedAt: Date? = nil
  ) {
    self.id = id
    self.userID = userID
    self.provider = provider
    self.grantID = grantID
    self.interactionID = interactionID
    self.keyID = keyID
    self.sealed = sealed
    self.accessExpiresAt = accessExpiresAt
    self.version = version
    self.createdAt = createdAt
    self.updatedAt = updatedAt ?? createdAt
  }
}
