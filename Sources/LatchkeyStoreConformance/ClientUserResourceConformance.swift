import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

/// Store conformance: clients, users, resources (`StoreConformance.checks`).
public enum ClientUserResourceConformance {
  public static func clientCRUD(kind: StoreFactory) async throws {
    let store = try await kind.makeStore()
    var client = Fixtures.client(id: "c1", at: t0, fingerprint: "fp1")
    client.tokenEndpointAuthMethod = .clientSecretBasic
    client.secretHash = Fixtures.randomHash()
    client.allowedScopes = ScopeSet(["notes:read"])
    client.redirectURIs = ["https://app.example/cb", "http://127.0.0.1/cb"]
    try await store.insertClient(client)
    #expect(try await store.client(id: "c1") == client)
    #expect(try await store.client(metadataFingerprint: "fp1") == client)
    #expect(try await store.client(metadataFingerprint: "other") == nil)
    #expect(try await store.client(id: "nope") == nil)
    await #expect(throws: StoreError.conflict("client")) { try await store.insertClient(client) }

    client.name = "Renamed"
    // Twelve URIs in an order that is neither alphabetical nor the positions' text order:
    // they come back in their registered order.
    client.redirectURIs = (0..<12).reversed().map { "https://app.example/cb/\($0)" }
    try await store.updateClient(client)
    #expect(try await store.client(id: "c1")?.name == "Renamed")
    #expect(try await store.client(id: "c1")?.redirectURIs == client.redirectURIs)
    await #expect(throws: StoreError.notFound("client")) {
      try await store.updateClient(Fixtures.client(id: "ghost", at: t0))
    }

    try await store.recordClientUse(id: "c1", at: t0.addingTimeInterval(5))
    #expect(try await store.client(id: "c1")?.lastUsedAt == t0.addingTimeInterval(5))
    var machine = Fixtures.client(id: "c2", at: t0.addingTimeInterval(1))
    machine.redirectURIs = []
    try await store.insertClient(machine)
    #expect(try await store.client(id: "c2") == machine)
    #expect(try await store.clients().map(\.id) == ["c1", "c2"])

    try await store.deleteClient(id: "c1")
    #expect(try await store.client(id: "c1") == nil)
    await #expect(throws: StoreError.notFound("client")) { try await store.deleteClient(id: "c1") }
  }

  public static func deletingAClientCascadesToItsGrantsCodesAndTokens(kind: StoreFactory)
    async throws
  {
    let store = try await kind.makeStore()
    try await store.insertClient(Fixtures.client(id: "c1", at: t0))
    try await store.insertUser(Fixtures.user(id: "u1", at: t0))
    let grant = Fixtures.grant(userID: "u1", clientID: "c1", at: t0)
    let code = Fixtures.code(for: grant, at: t0)
    try await store.issueCode(code, grant: grant)
    let token = Fixtures.refreshToken(for: grant, at: t0)
    #expect(try await store.issueRefreshToken(token) == .issued)

    try await store.deleteClient(id: "c1")
    #expect(try await store.grant(id: grant.id) == nil)
    #expect(try await store.refreshToken(hash: token.tokenHash) == nil)
    #expect(try await store.consumeCode(hash: code.codeHash, at: t0) == .notFound)
  }

  public static func idleDynamicClientsExpireButNeverWithLiveGrants(kind: StoreFactory) async throws
  {
    let store = try await kind.makeStore()
    try await store.insertUser(Fixtures.user(id: "u1", at: t0))
    try await store.insertClient(Fixtures.client(id: "idle", at: t0))
    try await store.insertClient(Fixtures.client(id: "with-grant", at: t0))
    try await store.insertClient(Fixtures.client(id: "operator", origin: .preregistered, at: t0))
    try await store.insertClient(Fixtures.client(id: "recent", at: t0))
    try await store.recordClientUse(id: "recent", at: t0.addingTimeInterval(100))
    let grant = Fixtures.grant(userID: "u1", clientID: "with-grant", at: t0)
    try await store.issueCode(Fixtures.code(for: grant, at: t0), grant: grant)

    let deleted = try await store.deleteIdleDynamicClients(
      idleSince: t0.addingTimeInterval(50), now: t0.addingTimeInterval(60))
    #expect(deleted == ["idle"])
    #expect(try await store.clients().map(\.id).sorted() == ["operator", "recent", "with-grant"])

    _ = try await store.revokeGrant(id: grant.id, at: t0.addingTimeInterval(70), reason: "test")
    let later = try await store.deleteIdleDynamicClients(
      idleSince: t0.addingTimeInterval(50), now: t0.addingTimeInterval(80))
    #expect(later == ["with-grant"])
  }

  public static func userCRUD(kind: StoreFactory) async throws {
    let store = try await kind.makeStore()
    var alice = Fixtures.user(id: "u1", username: "alice", at: t0)
    try await store.insertUser(alice)
    #expect(try await store.user(id: "u1") == alice)
    #expect(try await store.user(username: "alice") == alice)
    #expect(try await store.user(username: "Alice") == nil)
    await #expect(throws: StoreError.conflict("user")) {
      try await store.insertUser(Fixtures.user(id: "u2", username: "alice", at: t0))
    }
    try await store.insertUser(Fixtures.user(id: "u2", username: "bob", at: t0))
    #expect(try await store.users().map(\.username) == ["alice", "bob"])

    alice.disabled = true
    alice.passwordHash = "$scrypt$ln=4,r=8,p=1$bmV3$bmV3"
    try await store.updateUser(alice)
    #expect(try await store.user(id: "u1") == alice)
    alice.username = "bob"
    await #expect(throws: StoreError.conflict("user")) { try await store.updateUser(alice) }

    try await store.deleteUser(id: "u2")
    #expect(try await store.user(username: "bob") == nil)
    await #expect(throws: StoreError.notFound("user")) { try await store.deleteUser(id: "u2") }
  }

  public static func resourceCRUD(kind: StoreFactory) async throws {
    let store = try await kind.makeStore()
    var resource = Fixtures.resource()
    try await store.upsertResource(resource)
    #expect(try await store.resource(url: Fixtures.resourceURL) == resource)
    resource.name = "Notes v2"
    resource.toolScopes["delete_note"] = ScopeSet(["notes:write", "notes:admin"])
    try await store.upsertResource(resource)
    #expect(try await store.resource(url: Fixtures.resourceURL) == resource)
    try await store.upsertResource(Fixtures.resource(url: "https://a.example/mcp"))
    #expect(
      try await store.resources().map(\.url) == ["https://a.example/mcp", Fixtures.resourceURL])
    try await store.deleteResource(url: "https://a.example/mcp")
    #expect(try await store.resource(url: "https://a.example/mcp") == nil)
    await #expect(throws: StoreError.notFound("resource")) {
      try await store.deleteResource(url: "https://a.example/mcp")
    }
  }

  /// The checks above, by name.
  public static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck("ClientUserResourceConformance.clientCRUD", clientCRUD(kind:)),
    StoreConformanceCheck(
      "ClientUserResourceConformance.deletingAClientCascadesToItsGrantsCodesAndTokens",
      deletingAClientCascadesToItsGrantsCodesAndTokens(kind:)),
    StoreConformanceCheck(
      "ClientUserResourceConformance.idleDynamicClientsExpireButNeverWithLiveGrants",
      idleDynamicClientsExpireButNeverWithLiveGrants(kind:)),
    StoreConformanceCheck("ClientUserResourceConformance.userCRUD", userCRUD(kind:)),
    StoreConformanceCheck("ClientUserResourceConformance.resourceCRUD", resourceCRUD(kind:)),
  ]
}
