import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

/// Store conformance: API keys (`StoreConformance.checks`), issue 25 §2.
public enum APIKeyConformance {
  static func key(
    id: String = Fixtures.randomID("k"), owner: APIKeyOwner, at time: Date = t0,
    hash: String = Fixtures.randomHash()
  ) -> APIKey {
    APIKey(
      id: id, keyHash: hash, name: "nightly report", owner: owner,
      resource: Fixtures.resourceURL, scopes: ScopeSet(["notes:read"]), createdAt: time,
      expiresAt: time.addingTimeInterval(90 * 86_400))
  }

  static func storeWithOwners(_ kind: StoreFactory) async throws -> any LatchkeyStore {
    let store = try await kind.makeStore()
    try await store.insertUser(Fixtures.user(id: "u1", username: "alice", at: t0))
    try await store.insertClient(Fixtures.client(id: "c1", at: t0))
    return store
  }

  /// Insert, find by hash and by id, list oldest first, revoke once.
  public static func keysAreFoundByHashListedAndRevokedOnce(kind: StoreFactory) async throws {
    let store = try await storeWithOwners(kind)
    let personal = key(id: "k1", owner: .user("u1"))
    let service = key(id: "k2", owner: .client("c1"), at: t0.addingTimeInterval(1))
    try await store.insertAPIKey(personal)
    try await store.insertAPIKey(service)
    #expect(try await store.apiKey(hash: personal.keyHash) == personal)
    #expect(try await store.apiKey(hash: service.keyHash) == service)
    #expect(try await store.apiKey(id: "k2") == service)
    #expect(try await store.apiKey(hash: Fixtures.randomHash()) == nil)
    #expect(try await store.apiKey(id: "nope") == nil)
    #expect(try await store.apiKeys().map(\.id) == ["k1", "k2"])

    await #expect(throws: StoreError.conflict("api key")) {
      try await store.insertAPIKey(key(id: "k1", owner: .user("u1")))
    }
    await #expect(throws: StoreError.conflict("api key")) {
      try await store.insertAPIKey(key(owner: .user("u1"), hash: personal.keyHash))
    }
    await #expect(throws: StoreError.notFound("referenced row")) {
      try await store.insertAPIKey(key(owner: .user("ghost")))
    }
    await #expect(throws: StoreError.notFound("referenced row")) {
      try await store.insertAPIKey(key(owner: .client("ghost")))
    }

    let revokedAt = t0.addingTimeInterval(60)
    #expect(try await store.revokeAPIKey(id: "k1", at: revokedAt))
    #expect(try await store.revokeAPIKey(id: "k1", at: revokedAt.addingTimeInterval(1)) == false)
    #expect(try await store.revokeAPIKey(id: "nope", at: revokedAt) == false)
    #expect(try await store.apiKey(hash: personal.keyHash)?.revokedAt == revokedAt)
    #expect(try await store.apiKey(id: "k2")?.revokedAt == nil)
  }

  /// Rotation revokes the old key and stores the new one in one transaction; a failed insert
  /// leaves the old key live.
  public static func rotationRevokesTheOldKeyAndStoresTheNewOneAtomically(kind: StoreFactory)
    async throws
  {
    let store = try await storeWithOwners(kind)
    let old = key(id: "k1", owner: .user("u1"))
    let other = key(id: "k9", owner: .client("c1"))
    try await store.insertAPIKey(old)
    try await store.insertAPIKey(other)
    let at = t0.addingTimeInterval(30)

    // A replacement whose hash is taken fails as a whole: the old key stays live.
    await #expect(throws: StoreError.conflict("api key")) {
      try await store.rotateAPIKey(
        id: "k1", replacement: key(owner: .user("u1"), hash: other.keyHash), at: at)
    }
    #expect(try await store.apiKey(id: "k1")?.revokedAt == nil)

    let new = key(id: "k2", owner: .user("u1"), at: at)
    #expect(try await store.rotateAPIKey(id: "k1", replacement: new, at: at) == .rotated)
    #expect(try await store.apiKey(id: "k1")?.revokedAt == at)
    #expect(try await store.apiKey(hash: new.keyHash) == new)
    let again = key(id: "k3", owner: .user("u1"), at: at)
    #expect(try await store.rotateAPIKey(id: "k1", replacement: again, at: at) == .alreadyRevoked)
    #expect(try await store.rotateAPIKey(id: "nope", replacement: again, at: at) == .notFound)
    #expect(try await store.apiKey(id: "k3") == nil)
  }

  /// Of 20 concurrent rotations of one key exactly one succeeds.
  public static func concurrentRotationsRotateOnce(kind: StoreFactory) async throws {
    let store = try await storeWithOwners(kind)
    try await store.insertAPIKey(key(id: "k1", owner: .user("u1")))
    let answers = try await withThrowingTaskGroup(of: APIKeyRotation.self) { group in
      for index in 0..<20 {
        group.addTask {
          try await store.rotateAPIKey(
            id: "k1", replacement: key(id: "r\(index)", owner: .user("u1")), at: t0)
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(answers.filter { $0 == .rotated }.count == 1)
    #expect(answers.filter { $0 == .alreadyRevoked }.count == 19)
    #expect(try await store.apiKeys().filter { $0.revokedAt == nil }.count == 1)
  }

  /// The last use is written at most once per interval.
  public static func useIsRecordedAtMostOncePerInterval(kind: StoreFactory) async throws {
    let store = try await storeWithOwners(kind)
    try await store.insertAPIKey(key(id: "k1", owner: .user("u1")))
    let hour: TimeInterval = 3600
    try await store.recordAPIKeyUse(id: "k1", at: t0.addingTimeInterval(10), interval: hour)
    try await store.recordAPIKeyUse(id: "k1", at: t0.addingTimeInterval(20), interval: hour)
    #expect(try await store.apiKey(id: "k1")?.lastUsedAt == t0.addingTimeInterval(10))
    try await store.recordAPIKeyUse(id: "k1", at: t0.addingTimeInterval(10 + hour), interval: hour)
    #expect(try await store.apiKey(id: "k1")?.lastUsedAt == t0.addingTimeInterval(10 + hour))
    try await store.recordAPIKeyUse(id: "nope", at: t0, interval: hour)
  }

  /// Deleting a user or a client deletes its keys.
  public static func keysGoWithTheirOwner(kind: StoreFactory) async throws {
    let store = try await storeWithOwners(kind)
    let personal = key(owner: .user("u1"))
    let service = key(owner: .client("c1"))
    try await store.insertAPIKey(personal)
    try await store.insertAPIKey(service)
    try await store.deleteUser(id: "u1")
    #expect(try await store.apiKey(hash: personal.keyHash) == nil)
    #expect(try await store.apiKey(hash: service.keyHash) == service)
    try await store.deleteClient(id: "c1")
    #expect(try await store.apiKey(hash: service.keyHash) == nil)
    #expect(try await store.apiKeys().isEmpty)
  }

  /// A hash or id holding NUL finds nothing and changes nothing.
  public static func aKeyHoldingNULFindsNothing(kind: StoreFactory) async throws {
    let store = try await storeWithOwners(kind)
    let stored = key(id: "k1", owner: .user("u1"))
    try await store.insertAPIKey(stored)
    for hash in NULKeyConformance.poisoned(stored.keyHash) {
      #expect(try await store.apiKey(hash: hash) == nil)
    }
    for id in NULKeyConformance.poisoned("k1") {
      #expect(try await store.apiKey(id: id) == nil)
      #expect(try await store.revokeAPIKey(id: id, at: t0) == false)
      #expect(
        try await store.rotateAPIKey(id: id, replacement: key(owner: .user("u1")), at: t0)
          == .notFound)
    }
    #expect(try await store.apiKey(hash: stored.keyHash) == stored)
  }

  /// The checks above, by name.
  public static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "APIKeyConformance.keysAreFoundByHashListedAndRevokedOnce",
      keysAreFoundByHashListedAndRevokedOnce(kind:)),
    StoreConformanceCheck(
      "APIKeyConformance.rotationRevokesTheOldKeyAndStoresTheNewOneAtomically",
      rotationRevokesTheOldKeyAndStoresTheNewOneAtomically(kind:)),
    StoreConformanceCheck(
      "APIKeyConformance.concurrentRotationsRotateOnce", concurrentRotationsRotateOnce(kind:)),
    StoreConformanceCheck(
      "APIKeyConformance.useIsRecordedAtMostOncePerInterval",
      useIsRecordedAtMostOncePerInterval(kind:)),
    StoreConformanceCheck("APIKeyConformance.keysGoWithTheirOwner", keysGoWithTheirOwner(kind:)),
    StoreConformanceCheck(
      "APIKeyConformance.aKeyHoldingNULFindsNothing", aKeyHoldingNULFindsNothing(kind:)),
  ]
}
