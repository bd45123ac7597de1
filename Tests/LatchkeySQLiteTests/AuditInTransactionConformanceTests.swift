import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

/// The audit event a redemption or rotation records is stored in the same transaction as the
/// change: both or neither.
@Suite("Store conformance: audit events written with the change they record")
struct AuditInTransactionConformanceTests {
  static func event(_ type: String) -> AuditEvent {
    AuditEvent(time: t0, type: type, outcome: .success, clientID: "c", detail: Fixtures.randomID())
  }

  static func events(_ store: any LatchkeyStore, _ type: String) async throws -> [AuditEvent] {
    try await store.auditEvents(matching: AuditQuery(type: type, limit: 100))
  }

  @Test(arguments: StoreKind.allCases)
  func aRedemptionStoresItsEventAndAReplayStoresNone(kind: StoreKind) async throws {
    let f = try await GrantFixture(kind: kind)
    let code = Fixtures.code(for: f.grant, at: t0)
    try await f.store.issueCode(code, grant: f.grant)
    let issued = Self.event("redeemed")
    let result = try await f.store.redeemCode(
      hash: code.codeHash, at: t0.addingTimeInterval(1),
      firstRefreshToken: RedeemCodeConformanceTests.firstToken(Fixtures.randomHash()),
      recording: { record, grant in
        var event = issued
        event.userID = grant.userID
        event.resource = record.resource
        return event
      })
    guard case .redeemed = result else {
      Issue.record("expected redemption, got \(result)")
      return
    }
    let stored = try await Self.events(f.store, "redeemed")
    #expect(stored.count == 1)
    #expect(stored.first?.detail == issued.detail)
    #expect(stored.first?.userID == f.grant.userID)
    #expect(stored.first?.resource == code.resource)

    let replay = try await f.store.redeemCode(
      hash: code.codeHash, at: t0.addingTimeInterval(2),
      firstRefreshToken: RedeemCodeConformanceTests.firstToken(Fixtures.randomHash()),
      recording: { _, _ in Self.event("redeemed") })
    #expect(replay == .alreadyUsed(grantID: f.grant.id))
    #expect(try await Self.events(f.store, "redeemed").count == 1)
  }

  @Test(arguments: StoreKind.allCases)
  func aFailedRedemptionStoresNoEventAndLeavesTheCodeUnused(kind: StoreKind) async throws {
    let f = try await GrantFixture(kind: kind)
    let code = Fixtures.code(for: f.grant, at: t0)
    try await f.store.issueCode(code, grant: f.grant)
    let taken = Fixtures.refreshToken(for: f.grant, at: t0)
    #expect(try await f.store.issueRefreshToken(taken) == .issued)
    // The refresh token's hash is taken: the transaction fails and takes the event with it.
    await #expect(throws: StoreError.conflict("token")) {
      try await f.store.redeemCode(
        hash: code.codeHash, at: t0.addingTimeInterval(1),
        firstRefreshToken: RedeemCodeConformanceTests.firstToken(taken.tokenHash),
        recording: { _, _ in Self.event("redeemed") })
    }
    #expect(try await Self.events(f.store, "redeemed").isEmpty)
    let consumption = try await f.store.consumeCode(
      hash: code.codeHash, at: t0.addingTimeInterval(2))
    guard case .consumed = consumption else {
      Issue.record("the code should still be unused, got \(consumption)")
      return
    }
  }

  @Test(arguments: StoreKind.allCases)
  func aRotationStoresItsEventAndARefusedOneStoresNone(kind: StoreKind) async throws {
    let f = try await GrantFixture(kind: kind)
    let first = try await f.issueFirstRefreshToken()
    let refused = await Result {
      try await f.store.rotateRefreshToken(
        hash: first.tokenHash, at: t0, graceWindow: 30,
        makeSuccessor: { _, _ in throw StoreError.notFound("refused by the caller") },
        recording: { _, _ in Self.event("rotated") })
    }
    #expect(throws: StoreError.notFound("refused by the caller")) { try refused.get() }
    #expect(try await Self.events(f.store, "rotated").isEmpty)

    let nextHash = Fixtures.randomHash()
    let rotation = try await f.store.rotateRefreshToken(
      hash: first.tokenHash, at: t0, graceWindow: 30,
      makeSuccessor: successor(hash: nextHash, at: t0),
      recording: { successor, grant in
        var event = Self.event("rotated")
        event.detail = successor.tokenHash == nextHash ? "successor" : "other"
        event.userID = grant.userID
        return event
      })
    guard case .rotated = rotation else {
      Issue.record("expected rotation, got \(rotation)")
      return
    }
    let stored = try await Self.events(f.store, "rotated")
    #expect(stored.map(\.detail) == ["successor"])
    #expect(stored.first?.userID == f.grant.userID)
  }
}
