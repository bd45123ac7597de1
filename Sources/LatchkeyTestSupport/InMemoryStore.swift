public import Foundation
public import LatchkeyCore
import Synchronization

/// A `LatchkeyStore` in memory, for unit tests of rules. Every method runs under one lock, so
/// it is trivially atomic; the SQLite store must give the same answers (conformance suite).
public final class InMemoryStore: LatchkeyStore {
  struct State {
    var clients: [String: Client] = [:]
    var users: [String: User] = [:]
    var resources: [String: Resource] = [:]
    var codes: [String: AuthorizationCode] = [:]
    var grants: [String: Grant] = [:]
    var refreshTokens: [String: RefreshToken] = [:]
    var consents: [String: Consent] = [:]
    var keys: [SigningKeyRecord] = []
    var apiKeys: [String: APIKey] = [:]
    var userIdentities: [UserIdentity] = []
    /// The token vault, by record id.
    var upstreamTokens: [String: UpstreamTokenRecord] = [:]
    var audit: [AuditEvent] = []
    var nextAuditID: Int64 = 1

    /// Appends `event` with the next id; returns the id.
    @discardableResult
    mutating func appendAudit(_ event: AuditEvent) -> Int64 {
      var stored = event
      stored.id = nextAuditID
      nextAuditID += 1
      audit.append(stored)
      return nextAuditID - 1
    }
  }

  let state = Mutex(State())
  let faults = Mutex<[String: any Error]>([:])

  public init() {}

  /// Makes the next call of `operation` (a method name such as `consumeCode`) throw `error`,
  /// for tests of how endpoints answer store failures.
  public func failNext(_ operation: String, with error: any Error) {
    faults.withLock { $0[operation] = error }
  }

  func checkFault(_ operation: String) throws {
    if let error = faults.withLock({ $0.removeValue(forKey: operation) }) { throw error }
  }

  static func consentKey(_ userID: String, _ clientID: String, _ resource: String) -> String {
    [userID, clientID, resource].joined(separator: "\u{0}")
  }
}

extension InMemoryStore {
  public func insertClient(_ client: Client) async throws {
    try state.withLock { s in
      guard s.clients[client.id] == nil else { throw StoreError.conflict("client") }
      if let fingerprint = client.metadataFingerprint,
        s.clients.values.contains(where: { $0.metadataFingerprint == fingerprint })
      {
        throw StoreError.conflict("client")
      }
      s.clients[client.id] = client
    }
  }

  public func client(id: String) async throws -> Client? {
    state.withLock { $0.clients[id] }
  }

  public func client(metadataFingerprint: String) async throws -> Client? {
    state.withLock { s in
      s.clients.values.sorted { $0.createdAt < $1.createdAt }
        .first { $0.metadataFingerprint == metadataFingerprint }
    }
  }

  public func clients() async throws -> [Client] {
    state.withLock { $0.clients.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) } }
  }

  public func updateClient(_ client: Client) async throws {
    try state.withLock { s in
      guard s.clients[client.id] != nil else { throw StoreError.notFound("client") }
      s.clients[client.id] = client
    }
  }

  public func deleteClient(id: String) async throws {
    try state.withLock { s in
      guard s.clients.removeValue(forKey: id) != nil else { throw StoreError.notFound("client") }
      s.removeDependents { $0.clientID == id }
      s.apiKeys = s.apiKeys.filter { $0.value.owner != .client(id) }
    }
  }

  public func recordClientUse(id: String, at time: Date) async throws {
    state.withLock { $0.clients[id]?.lastUsedAt = time }
  }

  public func deleteIdleDynamicClients(idleSince: Date, now: Date) async throws -> [String] {
    state.withLock { s in
      let idle = s.clients.values.filter { client in
        client.origin == .dynamic && (client.lastUsedAt ?? client.createdAt) < idleSince
          && !s.grants.values.contains { $0.clientID == client.id && $0.isLive(at: now) }
      }.map(\.id).sorted()
      for id in idle {
        s.clients[id] = nil
        s.removeDependents { $0.clientID == id }
        s.apiKeys = s.apiKeys.filter { $0.value.owner != .client(id) }
      }
      return idle
    }
  }
}

extension InMemoryStore.State {
  /// Cascades a client or user deletion the way the SQL foreign keys do.
  mutating func removeDependents(where owned: (Grant) -> Bool) {
    let grantIDs = Set(grants.values.filter(owned).map(\.id))
    grants = grants.filter { !grantIDs.contains($0.key) }
    codes = codes.filter { !grantIDs.contains($0.value.grantID) }
    refreshTokens = refreshTokens.filter { !grantIDs.contains($0.value.grantID) }
    upstreamTokens = upstreamTokens.filter { !grantIDs.contains($0.value.grantID ?? "") }
  }
}

extension InMemoryStore {
  public func insertUser(_ user: User) async throws {
    try state.withLock { s in
      guard s.users[user.id] == nil,
        !s.users.values.contains(where: { $0.username == user.username })
      else { throw StoreError.conflict("user") }
      s.users[user.id] = user
    }
  }

  public func user(id: String) async throws -> User? { state.withLock { $0.users[id] } }

  public func user(username: String) async throws -> User? {
    state.withLock { $0.users.values.first { $0.username == username } }
  }

  public func users() async throws -> [User] {
    state.withLock { $0.users.values.sorted { $0.username < $1.username } }
  }

  public func updateUser(_ user: User) async throws {
    try state.withLock { s in
      guard s.users[user.id] != nil else { throw StoreError.notFound("user") }
      guard !s.users.values.contains(where: { $0.username == user.username && $0.id != user.id })
      else { throw StoreError.conflict("user") }
      s.users[user.id] = user
    }
  }

  public func deleteUser(id: String) async throws {
    try state.withLock { s in
      guard s.users.removeValue(forKey: id) != nil else { throw StoreError.notFound("user") }
      s.removeDependents { $0.userID == id }
      s.consents = s.consents.filter { $0.value.userID != id }
      s.apiKeys = s.apiKeys.filter { $0.value.owner != .user(id) }
      s.userIdentities.removeAll { $0.userID == id }
      s.upstreamTokens = s.upstreamTokens.filter { $0.value.userID != id }
    }
  }
}

extension InMemoryStore {
  public func upsertResource(_ resource: Resource) async throws {
    state.withLock { $0.resources[resource.url] = resource }
  }

  public func resource(url: String) async throws -> Resource? {
    state.withLock { $0.resources[url] }
  }

  public func resources() async throws -> [Resource] {
    try checkFault("resources")
    return state.withLock { $0.resources.values.sorted { $0.url < $1.url } }
  }

  public func deleteResource(url: String) async throws {
    try state.withLock { s in
      guard s.resources.removeValue(forKey: url) != nil else {
        throw StoreError.notFound("resource")
      }
    }
  }
}
