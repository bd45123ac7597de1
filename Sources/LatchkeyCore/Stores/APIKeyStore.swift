public import Foundation

/// The answer of `APIKeyStore.rotateAPIKey`.
public enum APIKeyRotation: Sendable, Equatable {
  /// The old key is revoked and the replacement stored, in one transaction.
  case rotated
  /// No key has that id.
  case notFound
  /// The key was revoked before: nothing changed.
  case alreadyRevoked
}

/// API keys (personal access tokens and service keys), stored by hash.
public protocol APIKeyStore: Sendable {
  /// Adds a key; `StoreError.conflict("api key")` when its id or hash is taken, `notFound`
  /// when its user or client does not exist.
  func insertAPIKey(_ key: APIKey) async throws
  /// The key whose value hashes to `hash` (revoked and expired ones included), or nil.
  func apiKey(hash: String) async throws -> APIKey?
  /// The key with this public id, or nil.
  func apiKey(id: String) async throws -> APIKey?
  /// Every key, oldest first (revoked and expired ones included).
  func apiKeys() async throws -> [APIKey]
  /// Revokes a live key; false when it does not exist or was revoked already.
  func revokeAPIKey(id: String, at time: Date) async throws -> Bool
  /// Revokes the key `id` and stores `replacement`, atomically: either both happen or neither.
  func rotateAPIKey(id: String, replacement: APIKey, at time: Date) async throws -> APIKeyRotation
  /// Records a use at `time` unless one was recorded less than `interval` before (so a busy
  /// key costs one write an hour, not one per request); nothing when the key does not exist.
  func recordAPIKeyUse(id: String, at time: Date, interval: TimeInterval) async throws
}
