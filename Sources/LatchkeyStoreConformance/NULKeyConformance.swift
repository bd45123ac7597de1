import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

/// Issue 21 part 3, the stores' own guarantee: a lookup key with an embedded NUL finds nothing.
/// SQLite binds text as a C string, so `c1\0x` used to find `c1`; PostgreSQL cannot store NUL in
/// `text` at all. Each key is a real one followed by NUL (the truncation case), or with NUL in
/// the middle.
/// Store conformance: keys holding NUL (`StoreConformance.checks`).
public enum NULKeyConformance {
  static func poisoned(_ key: String) -> [String] {
    [key + "\u{0}", key + "\u{0}x", String(key.prefix(2)) + "\u{0}" + key.dropFirst(2)]
  }

  public static func aKeyHoldingNULFindsNothing(kind: StoreFactory) async throws {
    let store = try await kind.makeStore()
    try await store.insertClient(Fixtures.client(id: "c1", at: t0))
    try await store.insertUser(Fixtures.user(id: "u1", username: "alice", at: t0))
    try await store.upsertResource(Fixtures.resource())
    let grant = Fixtures.grant(userID: "u1", clientID: "c1", at: t0)
    let code = Fixtures.code(for: grant, at: t0)
    try await store.issueCode(code, grant: grant)
    let token = Fixtures.refreshToken(for: grant, at: t0)
    #expect(try await store.issueRefreshToken(token) == .issued)
    let key = try await store.activeKeyInsertingIfNone(Fixtures.signingKey(kid: "k1", at: t0))

    for id in Self.poisoned("c1") {
      #expect(try await store.client(id: id) == nil)
      #expect(try await store.user(id: id) == nil)
    }
    for username in Self.poisoned("alice") {
      #expect(try await store.user(username: username) == nil)
    }
    for url in Self.poisoned(Fixtures.resourceURL) {
      #expect(try await store.resource(url: url) == nil)
    }
    for id in Self.poisoned(grant.id) {
      #expect(try await store.grant(id: id) == nil)
    }
    for hash in Self.poisoned(code.codeHash) {
      #expect(try await store.consumeCode(hash: hash, at: t0) == .notFound)
    }
    for hash in Self.poisoned(token.tokenHash) {
      #expect(try await store.refreshToken(hash: hash) == nil)
      let rotation = try await store.rotateRefreshToken(
        hash: hash, at: t0, graceWindow: 30,
        makeSuccessor: { _, _ in Fixtures.refreshToken(for: grant, at: t0) })
      #expect(rotation == .refused(.notFound))
    }
    for kid in Self.poisoned("k1") {
      await #expect(throws: (any Error).self) {
        try await store.setSigningKeyState(kid: kid, to: .retired, at: t0)
      }
    }

    // The real rows are untouched and still found by their exact keys.
    #expect(try await store.client(id: "c1") != nil)
    #expect(try await store.user(username: "alice")?.id == "u1")
    #expect(try await store.resource(url: Fixtures.resourceURL) != nil)
    #expect(try await store.refreshToken(hash: token.tokenHash)?.rotatedAt == nil)
    #expect(try await store.signingKeys().first { $0.kid == "k1" }?.state == key.state)
    if case .consumed = try await store.consumeCode(hash: code.codeHash, at: t0) {
    } else {
      Issue.record("the real code was no longer consumable")
    }
  }

  /// The checks above, by name.
  public static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "NULKeyConformance.aKeyHoldingNULFindsNothing", aKeyHoldingNULFindsNothing(kind:))
  ]
}
