public import Foundation

/// Whom an API key acts for.
public enum APIKeyOwner: Sendable, Hashable, Codable {
  /// A personal access token: the key acts as this user (`sub` = the user id).
  case user(String)
  /// A service key: the key acts as this client (`sub` = `client_id` = the client id).
  case client(String)

  /// The user id, for a personal key.
  public var userID: String? {
    if case .user(let id) = self { return id }
    return nil
  }

  /// The client id, for a service key.
  public var clientID: String? {
    if case .client(let id) = self { return id }
    return nil
  }
}

/// An API key (personal access token or service key) for clients that can only send a fixed
/// `Authorization: Bearer` header. Stored by the SHA-256 of its value (`SecretHash`); the key
/// itself is shown once, when it is created or rotated (`APIKeyFormat`).
public struct APIKey: Sendable, Equatable, Codable {
  /// The public id, also written inside the key (`lk_pat_<id>_…`): listings, audit lines and
  /// introspection's `jti` name a key by it, never by its secret.
  public var id: String
  /// SHA-256 (hex) of the whole key; the key itself is never stored.
  public var keyHash: String
  /// What the operator called it ("nightly report").
  public var name: String
  /// The user or client it acts for.
  public var owner: APIKeyOwner
  /// The resource (MCP endpoint URL) it is valid for; introspection's `aud`.
  public var resource: String
  /// What it allows at that resource.
  public var scopes: ScopeSet
  /// When it was created.
  public var createdAt: Date
  /// When it stops being accepted; keys always expire.
  public var expiresAt: Date
  /// Last accepted use, recorded at most hourly (`APIKeyRule.useRecordInterval`).
  public var lastUsedAt: Date?
  /// When it was revoked (by `apikey revoke`, or replaced by `apikey rotate`).
  public var revokedAt: Date?

  /// Creates an API key record; `keyHash` must already be the hash.
  public init(
    id: String, keyHash: String, name: String, owner: APIKeyOwner, resource: String,
    scopes: ScopeSet, createdAt: Date, expiresAt: Date, lastUsedAt: Date? = nil,
    revokedAt: Date? = nil
  ) {
    self.id = id
    self.keyHash = keyHash
    self.name = name
    self.owner = owner
    self.resource = resource
    self.scopes = scopes
    self.createdAt = createdAt
    self.expiresAt = expiresAt
    self.lastUsedAt = lastUsedAt
    self.revokedAt = revokedAt
  }
}
