import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

/// The audit event a redemption or rotation records is stored in the same transaction as the
/// change: both or neither.
/// Store conformance: audit events written with the change they record (`StoreConformance.checks`).
public enum AuditInTransactionConformance {
  static func event(_ type: String) -> AuditEvent {
    AuditEvent(time: t0, type: type, outcome: .success, clientID: "c", detail: Fixtures.randomID())
  }

  static func events(_ store: any LatchkeyStore, _ type: String) async throws -> [AuditEvent] {
    try await store.auditEvents(matching: AuditQuery(type: type, limit: 100))
  }

  public static func aRedemptionStoresItsEventAndAReplayStoresNone(kind: StoreFactory) async throws
  {
    let f = try await GrantFixture(kind: kind)
    let code = Fixtures.code(for: f.grant, at: t0)
    try await f.store.issueCode(code, grant: f.grant)
    let issued = Self.event("redeemed")
    let result = try await f.store.redeemCode(
      hash: code.codeHash, at: t0.addingTimeInterval(1),
      plan: { record, grant in
        var event = issued
        event.userID = grant.userID
        event.resource = record.resource
        return .issue(
          refreshToken: RedeemCodeConformance.firstToken(Fixtures.randomHash())(record, grant),
          event: event)
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
      plan: { _, _ in .issue(refreshToken: nil, event: Self.event("redeemed")) })
    #expect(replay == .alreadyUsed(grantID: f.grant.id))
    #expect(try await Self.events(f.store, "redeemed").count == 1)
  }

  public static func aFailedRedemptionStoresNoEventAndLeavesTheCodeUnused(kind: StoreFactory)
    async throws
  {
    let f = try await GrantFixture(kind: kind)
    let code = Fixtures.code(for: f.grant, at: t0)
    try await f.store.issueCode(code, grant: f.grant)
    let taken = Fixtures.refreshToken(for: f.grant, at: t0)
    #expect(try await f.store.issueRefreshToken(taken) == .issued)
    // The refresh token's hash is taken: the transaction fails and takes the event with it.
    await #expect(throws: StoreError.conflict("token")) {
      try await f.store.redeemCode(
        hash: code.codeHash, at: t0.addingTimeInterval(1),
        plan: { code, grant in
          .issue(
            refreshToken: RedeemCodeConformance.firstToken(taken.tokenHash)(code, grant),
            event: Self.event("redeemed"))
        })
    }
    #expect(try await Self.events(f.store, "redeemed").isEmpty)
    let consumption = try await f.store.consumeCode(
      hash: code.codeHash, at: t0.addingTimeInterval(2))
    guard case .consumed = consumption else {
      Issue.record("the code should still be unused, got \(consumption)")
      return
    }
  }

  public static func aRefusedRedemptionConsumesTheCodeAndStoresNothingElse(kind: StoreFactory)
    async throws
  {
    let f = try await GrantFixture(kind: kind)
    let code = Fixtures.code(for: f.grant, at: t0)
    try await f.store.issueCode(code, grant: f.grant)
    let refusal = OAuthError(.invalidGrant, "The code was issued to another client.")
    let result = try await f.store.redeemCode(
      hash: code.codeHash, at: t0.addingTimeInterval(1), plan: { _, _ in .refuse(refusal) })
    guard case .requestRefused(let consumed, let error) = result else {
      Issue.record("expected a refusal, got \(result)")
      return
    }
    #expect(consumed.consumedAt == t0.addingTimeInterval(1) && error == refusal)
    #expect(try await f.store.grant(id: f.grant.id)?.revokedAt == nil)
    let replay = try await f.store.redeemCode(
      hash: code.codeHash, at: t0.addingTimeInterval(2),
      plan: { _, _ in .issue(refreshToken: nil, event: Self.event("redeemed")) })
    #expect(replay == .alreadyUsed(grantID: f.grant.id))
    #expect(try await Self.events(f.store, "redeemed").isEmpty)
  }

  public static func aRotationStoresItsEventAndARefusedOneStoresNone(kind: StoreFactory)
    async throws
  {
    let f = try await GrantFixture(kind: kind)
    let first = try await f.issueFirstRefreshToken()
    let refusal = OAuthError(.invalidTarget, "The resource does not match the authorization.")
    let refused = try await f.store.rotateRefreshToken(
      hash: first.tokenHash, at: t0, graceWindow: 30, plan: { _, _ in .refuse(refusal) })
    #expect(refused == .requestRefused(refusal))
    #expect(try await Self.events(f.store, "rotated").isEmpty)

    let nextHash = Fixtures.randomHash()
    let build = successor(hash: nextHash, at: t0)
    let rotation = try await f.store.rotateRefreshToken(
      hash: first.tokenHash, at: t0, graceWindow: 30,
      plan: { parent, grant in
        let successor = build(parent, grant)
        var event = Self.event("rotated")
        event.detail = successor.tokenHash == nextHash ? "successor" : "other"
        event.userID = grant.userID
        return .rotate(
          RefreshRotationWrites(successor: successor, accessScopes: successor.scopes, event: event))
      })
    guard case .rotated = rotation else {
      Issue.record("expected rotation, got \(rotation)")
      return
    }
    let stored = try await Self.events(f.store, "rotated")
    #expect(stored.map(\.detail) == ["successor"])
    #expect(stored.first?.userID == f.grant.userID)
  }

  /// The checks above, by name.
  public static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "AuditInTransactionConformance.aRedemptionStoresItsEventAndAReplayStoresNone",
      aRedemptionStoresItsEventAndAReplayStoresNone(kind:)),
    StoreConformanceCheck(
      "AuditInTransactionConformance.aFailedRedemptionStoresNoEventAndLeavesTheCodeUnused",
      aFailedRedemptionStoresNoEventAndLeavesTheCodeUnused(kind:)),
    StoreConformanceCheck(
      "AuditInTransactionConformance.aRefusedRedemptionConsumesTheCodeAndStoresNothingElse",
      aRefusedRedemptionConsumesTheCodeAndStoresNothingElse(kind:)),
    StoreConformanceCheck(
      "AuditInTransactionConformance.aRotationStoresItsEventAndARefusedOneStoresNone",
      aRotationStoresItsEventAndARefusedOneStoresNone(kind:)),
  ]
}
