public import Foundation
public import LatchkeyCore

extension InMemoryStore {
  public func insertAPIKey(_ key: APIKey) async throws {
    try state.withLock { s in
      guard s.apiKeys[key.id] == nil,
        !s.apiKeys.values.contains(where: { $0.keyHash == key.keyHash })
      else { throw StoreError.conflict("api key") }
      try s.checkOwnerExists(key.owner)
      s.apiKeys[key.id] = key
    }
  }

  public func apiKey(hash: String) async throws -> APIKey? {
    state.withLock { s in s.apiKeys.values.first { $0.keyHash == hash } }
  }

  public func apiKey(id: String) async throws -> APIKey? {
    state.withLock { $0.apiKeys[id] }
  }

  public func apiKeys() async throws -> [APIKey] {
    state.withLock { $0.apiKeys.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) } }
  }

  public func revokeAPIKey(id: String, at time: Date) async throws -> Bool {
    state.withLock { s in
      guard let key = s.apiKeys[id], key.revokedAt == nil else { return false }
      s.apiKeys[id]?.revokedAt = time
      return true
    }
  }

  public func rotateAPIKey(id: String, replacement: APIKey, at time: Date) async throws
    -> APIKeyRotation
  {
    try state.withLock { s in
      guard let key = s.apiKeys[id] else { return .notFound }
      guard key.revokedAt == nil else { return .alreadyRevoked }
      guard s.apiKeys[replacement.id] == nil,
        !s.apiKeys.values.contains(where: { $0.keyHash == replacement.keyHash })
      else { throw StoreError.conflict("api key") }
      try s.checkOwnerExists(replacement.owner)
      s.apiKeys[id]?.revokedAt = time
      s.apiKeys[replacement.id] = replacement
      return .rotated
    }
  }

  public func recordAPIKeyUse(id: String, at time: Date, interval: TimeInterval) async throws {
    state.withLock { s in
      guard let key = s.apiKeys[id] else { return }
      if let last = key.lastUsedAt, time.timeIntervalSince(last) < interval { return }
      s.apiKeys[id]?.lastUsedAt = time
    }
  }
}

extension InMemoryStore.State {
  /// The foreign keys of `api_keys`.
  func checkOwnerExists(_ owner: APIKeyOwner) throws {
    switch owner {
    case .user(let id) where users[id] == nil: throw StoreError.notFound("referenced row")
    case .client(let id) where clients[id] == nil: throw StoreError.notFound("referenced row")
    default: return
    }
  }
}
