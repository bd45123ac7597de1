import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

/// A store with one user, one client and one live grant, for token tests.
struct GrantFixture {
  let store: any LatchkeyStore
  let grant: Grant

  init(kind: StoreFactory, grantLifetime: TimeInterval = 30 * 86_400) async throws {
    store = try await kind.makeStore()
    try await store.insertUser(Fixtures.user(id: "u1", at: t0))
    try await store.insertClient(Fixtures.client(id: "c1", at: t0))
    grant = Fixtures.grant(userID: "u1", clientID: "c1", at: t0, lifetime: grantLifetime)
  }

  /// Issues the grant with a code, then a first refresh token.
  func issueFirstRefreshToken() async throws -> RefreshToken {
    try await store.issueCode(Fixtures.code(for: grant, at: t0), grant: grant)
    let token = Fixtures.refreshToken(for: grant, at: t0)
    #expect(try await store.issueRefreshToken(token) == .issued)
    return token
  }
}

/// Twenty fresh grants, each issued with a code, on one store (user `u1`, client `c1`), each
/// handed to `round`: the setup of the checks that race a write against a revocation.
func forEachRacedGrant(
  kind: StoreFactory,
  _ round: (any LatchkeyStore, Grant, AuthorizationCode) async throws -> Void
) async throws {
  let store = try await kind.makeStore()
  try await store.insertUser(Fixtures.user(id: "u1", at: t0))
  try await store.insertClient(Fixtures.client(id: "c1", at: t0))
  for _ in 0..<20 {
    let grant = Fixtures.grant(userID: "u1", clientID: "c1", at: t0)
    let code = Fixtures.code(for: grant, at: t0)
    try await store.issueCode(code, grant: grant)
    try await round(store, grant, code)
  }
}

/// Successor builder the way the token endpoint uses it: same grant, new hash.
func successor(hash: String, at time: Date)
  -> @Sendable (RefreshToken, Grant) -> RefreshToken
{
  { parent, grant in
    Fixtures.refreshToken(hash: hash, for: grant, at: time, parentHash: parent.tokenHash)
  }
}

/// Store conformance: codes and refresh tokens (`StoreConformance.checks`).
public enum TokenConformance {
  public static func codeIsConsumedOnceThenReportsItsGrant(kind: StoreFactory) async throws {
    let f = try await GrantFixture(kind: kind)
    let code = Fixtures.code(for: f.grant, at: t0)
    try await f.store.issueCode(code, grant: f.grant)
    #expect(try await f.store.grant(id: f.grant.id) == f.grant)

    var consumed = code
    consumed.consumedAt = t0.addingTimeInterval(1)
    #expect(
      try await f.store.consumeCode(hash: code.codeHash, at: t0.addingTimeInterval(1))
        == .consumed(consumed))
    #expect(
      try await f.store.consumeCode(hash: code.codeHash, at: t0.addingTimeInterval(2))
        == .alreadyUsed(grantID: f.grant.id))
    #expect(try await f.store.consumeCode(hash: Fixtures.randomHash(), at: t0) == .notFound)
  }

  public static func fiftyConcurrentConsumesHaveExactlyOneWinner(kind: StoreFactory) async throws {
    let f = try await GrantFixture(kind: kind)
    let code = Fixtures.code(for: f.grant, at: t0)
    try await f.store.issueCode(code, grant: f.grant)
    let store = f.store
    let results = try await withThrowingTaskGroup(of: CodeConsumption.self) { group in
      for _ in 0..<50 {
        group.addTask {
          try await store.consumeCode(hash: code.codeHash, at: t0.addingTimeInterval(1))
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    let winners = results.filter { if case .consumed = $0 { true } else { false } }
    #expect(winners.count == 1)
    #expect(results.filter { $0 == .alreadyUsed(grantID: f.grant.id) }.count == 49)
  }

  public static func expiredCodeIsRefusedAndNotConsumed(kind: StoreFactory) async throws {
    let f = try await GrantFixture(kind: kind)
    let clock = FixedClock(t0)
    let code = Fixtures.code(for: f.grant, at: clock.now(), lifetime: 60)
    try await f.store.issueCode(code, grant: f.grant)
    clock.advance(by: 60)
    #expect(try await f.store.consumeCode(hash: code.codeHash, at: clock.now()) == .expired)
    #expect(try await f.store.consumeCode(hash: code.codeHash, at: clock.now()) == .expired)
    #expect(try await f.store.deleteExpiredCodes(before: clock.now().addingTimeInterval(1)) == 1)
    #expect(try await f.store.consumeCode(hash: code.codeHash, at: clock.now()) == .notFound)
  }

  public static func refreshTokenNeedsALiveGrant(kind: StoreFactory) async throws {
    let f = try await GrantFixture(kind: kind)
    try await f.store.issueCode(Fixtures.code(for: f.grant, at: t0), grant: f.grant)
    #expect(try await f.store.revokeGrant(id: f.grant.id, at: t0, reason: "test"))
    #expect(try await f.store.revokeGrant(id: f.grant.id, at: t0, reason: "test") == false)
    let token = Fixtures.refreshToken(for: f.grant, at: t0)
    #expect(try await f.store.issueRefreshToken(token) == .grantNotLive)
    #expect(try await f.store.refreshToken(hash: token.tokenHash) == nil)
  }

  public static func rotationIssuesASuccessorAndGraceReplayReturnsTheSameOne(kind: StoreFactory)
    async throws
  {
    let f = try await GrantFixture(kind: kind)
    let first = try await f.issueFirstRefreshToken()
    let clock = FixedClock(t0.addingTimeInterval(10))
    let nextHash = Fixtures.randomHash()

    let rotation = try await f.store.rotateRefreshToken(
      hash: first.tokenHash, at: clock.now(), graceWindow: 30,
      makeSuccessor: successor(hash: nextHash, at: clock.now()))
    guard case .rotated(let parent, let grant, let writes) = rotation else {
      Issue.record("expected rotation, got \(rotation)")
      return
    }
    let next = writes.successor
    #expect(grant == f.grant && writes.accessScopes == next.scopes)
    #expect(parent.rotatedAt == clock.now())
    #expect(parent.successorHash == nextHash)
    #expect(next.tokenHash == nextHash && next.parentHash == first.tokenHash)
    #expect(try await f.store.refreshToken(hash: nextHash) == next)

    clock.advance(by: 30)
    let replay = try await f.store.rotateRefreshToken(
      hash: first.tokenHash, at: clock.now(), graceWindow: 30,
      makeSuccessor: successor(hash: Fixtures.randomHash(), at: clock.now()))
    #expect(replay == .replayedWithinGrace(parent: parent, successor: next, grant: f.grant))
    #expect(try await f.store.grant(id: f.grant.id)?.revokedAt == nil)
  }

  public static func replayOutsideTheGraceWindowRevokesTheWholeFamily(kind: StoreFactory)
    async throws
  {
    let f = try await GrantFixture(kind: kind)
    let first = try await f.issueFirstRefreshToken()
    let nextHash = Fixtures.randomHash()
    _ = try await f.store.rotateRefreshToken(
      hash: first.tokenHash, at: t0, graceWindow: 30,
      makeSuccessor: successor(hash: nextHash, at: t0))

    let late = t0.addingTimeInterval(31)
    let replay = try await f.store.rotateRefreshToken(
      hash: first.tokenHash, at: late, graceWindow: 30,
      makeSuccessor: successor(hash: Fixtures.randomHash(), at: late))
    #expect(replay == .reuseDetected(grantID: f.grant.id))
    #expect(try await f.store.grant(id: f.grant.id)?.revokedAt == late)
    #expect(try await f.store.refreshToken(hash: nextHash)?.revokedAt == late)
    let useOfSuccessor = try await f.store.rotateRefreshToken(
      hash: nextHash, at: late, graceWindow: 30,
      makeSuccessor: successor(hash: Fixtures.randomHash(), at: late))
    #expect(useOfSuccessor == .refused(.revoked))
  }

  public static func replayAfterTheSuccessorWasUsedIsReuseEvenInsideTheGraceWindow(
    kind: StoreFactory
  ) async throws {
    let f = try await GrantFixture(kind: kind)
    let first = try await f.issueFirstRefreshToken()
    let second = Fixtures.randomHash()
    _ = try await f.store.rotateRefreshToken(
      hash: first.tokenHash, at: t0, graceWindow: 30, makeSuccessor: successor(hash: second, at: t0)
    )
    _ = try await f.store.rotateRefreshToken(
      hash: second, at: t0.addingTimeInterval(1), graceWindow: 30,
      makeSuccessor: successor(hash: Fixtures.randomHash(), at: t0.addingTimeInterval(1)))
    let replay = try await f.store.rotateRefreshToken(
      hash: first.tokenHash, at: t0.addingTimeInterval(2), graceWindow: 30,
      makeSuccessor: successor(hash: Fixtures.randomHash(), at: t0))
    #expect(replay == .reuseDetected(grantID: f.grant.id))
  }

  public static func expiryIsHonouredForTokenAndFamily(kind: StoreFactory) async throws {
    let f = try await GrantFixture(kind: kind, grantLifetime: 1000)
    try await f.store.issueCode(Fixtures.code(for: f.grant, at: t0), grant: f.grant)
    let short = Fixtures.refreshToken(for: f.grant, at: t0, lifetime: 100)
    let long = Fixtures.refreshToken(for: f.grant, at: t0, lifetime: 5000)
    #expect(try await f.store.issueRefreshToken(short) == .issued)
    #expect(try await f.store.issueRefreshToken(long) == .issued)
    let clock = FixedClock(t0)
    clock.advance(by: 100)
    let expired = try await f.store.rotateRefreshToken(
      hash: short.tokenHash, at: clock.now(), graceWindow: 30,
      makeSuccessor: successor(hash: Fixtures.randomHash(), at: clock.now()))
    #expect(expired == .refused(.expired))
    clock.advance(by: 900)  // past the grant's absolute expiry
    let pastFamily = try await f.store.rotateRefreshToken(
      hash: long.tokenHash, at: clock.now(), graceWindow: 30,
      makeSuccessor: successor(hash: Fixtures.randomHash(), at: clock.now()))
    #expect(pastFamily == .refused(.expired))
    let unknown = try await f.store.rotateRefreshToken(
      hash: Fixtures.randomHash(), at: clock.now(), graceWindow: 30,
      makeSuccessor: successor(hash: Fixtures.randomHash(), at: clock.now()))
    #expect(unknown == .refused(.notFound))
    #expect(try await f.store.deleteExpiredRefreshTokens(before: clock.now()) == 1)
    #expect(try await f.store.refreshToken(hash: short.tokenHash) == nil)
  }

  public static func aRefusingPlanChangesNothing(kind: StoreFactory) async throws {
    let f = try await GrantFixture(kind: kind)
    let first = try await f.issueFirstRefreshToken()
    let refusal = OAuthError(.invalidScope, "The requested scope exceeds the grant.")
    let outcome = try await f.store.rotateRefreshToken(
      hash: first.tokenHash, at: t0, graceWindow: 30, plan: { _, _ in .refuse(refusal) })
    #expect(outcome == .requestRefused(refusal))
    #expect(try await f.store.refreshToken(hash: first.tokenHash) == first)
    let later = try await f.store.rotateRefreshToken(
      hash: first.tokenHash, at: t0, graceWindow: 30,
      makeSuccessor: successor(hash: Fixtures.randomHash(), at: t0))
    guard case .rotated = later else {
      Issue.record("the token should still rotate, got \(later)")
      return
    }
  }

  public static func fiftyConcurrentRotationsLeaveAtMostOneLiveSuccessor(kind: StoreFactory)
    async throws
  {
    let f = try await GrantFixture(kind: kind)
    let first = try await f.issueFirstRefreshToken()
    let store = f.store
    let results = try await withThrowingTaskGroup(of: RefreshRotation.self) { group in
      for _ in 0..<50 {
        group.addTask {
          try await store.rotateRefreshToken(
            hash: first.tokenHash, at: t0.addingTimeInterval(1), graceWindow: 30,
            makeSuccessor: successor(hash: Fixtures.randomHash(), at: t0.addingTimeInterval(1)))
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    var rotatedTo: [String] = []
    var replayedTo: Set<String> = []
    for result in results {
      switch result {
      case .rotated(_, _, let writes): rotatedTo.append(writes.successor.tokenHash)
      case .replayedWithinGrace(_, let next, _): replayedTo.insert(next.tokenHash)
      default: Issue.record("undefined outcome \(result)")
      }
    }
    #expect(rotatedTo.count == 1)
    #expect(replayedTo.isSubset(of: Set(rotatedTo)))
    let parent = try await store.refreshToken(hash: first.tokenHash)
    #expect(parent?.successorHash == rotatedTo.first)
  }

  public static func revokingAGrantKillsAllItsTokens(kind: StoreFactory) async throws {
    let f = try await GrantFixture(kind: kind)
    let first = try await f.issueFirstRefreshToken()
    let second = Fixtures.refreshToken(for: f.grant, at: t0)
    #expect(try await f.store.issueRefreshToken(second) == .issued)
    #expect(
      try await f.store.revokeGrant(id: f.grant.id, at: t0.addingTimeInterval(5), reason: "admin"))
    for token in [first, second] {
      #expect(
        try await f.store.refreshToken(hash: token.tokenHash)?.revokedAt == t0.addingTimeInterval(5)
      )
      let attempt = try await f.store.rotateRefreshToken(
        hash: token.tokenHash, at: t0.addingTimeInterval(6), graceWindow: 30,
        makeSuccessor: successor(hash: Fixtures.randomHash(), at: t0))
      #expect(attempt == .refused(.revoked))
    }
    let revoked = try await f.store.grant(id: f.grant.id)
    #expect(revoked?.revocationReason == "admin")
  }

  /// A rotation racing a revocation of its grant, twenty times: whichever commits first, no
  /// refresh token of the grant is left live (RFC 9700 §4.14.2: a revoked grant's family is
  /// dead, a successor minted concurrently included).
  public static func aRotationRacingARevocationLeavesNoLiveToken(kind: StoreFactory)
    async throws
  {
    try await forEachRacedGrant(kind: kind) { store, grant, _ in
      let first = Fixtures.refreshToken(for: grant, at: t0)
      #expect(try await store.issueRefreshToken(first) == .issued)
      let next = Fixtures.randomHash()
      async let rotation = store.rotateRefreshToken(
        hash: first.tokenHash, at: t0.addingTimeInterval(1), graceWindow: 30,
        makeSuccessor: successor(hash: next, at: t0.addingTimeInterval(1)))
      async let revoked = store.revokeGrant(
        id: grant.id, at: t0.addingTimeInterval(1), reason: "admin")
      let (outcome, didRevoke) = try await (rotation, revoked)
      #expect(didRevoke)
      switch outcome {
      case .rotated, .refused(.revoked): break
      default: Issue.record("undefined outcome \(outcome)")
      }
      #expect(try await store.refreshToken(hash: first.tokenHash)?.revokedAt != nil)
      if case .rotated = outcome {
        #expect(try await store.refreshToken(hash: next)?.revokedAt != nil)
      } else {
        #expect(try await store.refreshToken(hash: next) == nil)
      }
    }
  }

  public static func grantsAreListedAndRevokedByFilter(kind: StoreFactory) async throws {
    let store = try await kind.makeStore()
    for user in ["u1", "u2"] { try await store.insertUser(Fixtures.user(id: user, at: t0)) }
    for client in ["c1", "c2"] { try await store.insertClient(Fixtures.client(id: client, at: t0)) }
    var grants: [Grant] = []
    for (index, (user, client)) in [("u1", "c1"), ("u1", "c2"), ("u2", "c1")].enumerated() {
      let grant = Fixtures.grant(
        id: "g\(index)", userID: user, clientID: client, at: t0.addingTimeInterval(Double(index)))
      try await store.issueCode(Fixtures.code(for: grant, at: t0), grant: grant)
      grants.append(grant)
    }
    #expect(try await store.grants(matching: GrantFilter(userID: "u1")).map(\.id) == ["g0", "g1"])
    #expect(
      try await store.grants(matching: GrantFilter(clientID: "c1")).map(\.id) == ["g0", "g2"])
    let revoked = try await store.revokeGrants(
      matching: GrantFilter(userID: "u1"), at: t0.addingTimeInterval(9), reason: "user disabled")
    #expect(revoked == ["g0", "g1"])
    #expect(try await store.grants(matching: GrantFilter()).map(\.id) == ["g2"])
    #expect(try await store.grants(matching: GrantFilter(includeRevoked: true)).count == 3)
  }

  /// The checks above, by name.
  public static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "TokenConformance.codeIsConsumedOnceThenReportsItsGrant",
      codeIsConsumedOnceThenReportsItsGrant(kind:)),
    StoreConformanceCheck(
      "TokenConformance.fiftyConcurrentConsumesHaveExactlyOneWinner",
      fiftyConcurrentConsumesHaveExactlyOneWinner(kind:)),
    StoreConformanceCheck(
      "TokenConformance.expiredCodeIsRefusedAndNotConsumed",
      expiredCodeIsRefusedAndNotConsumed(kind:)),
    StoreConformanceCheck(
      "TokenConformance.refreshTokenNeedsALiveGrant", refreshTokenNeedsALiveGrant(kind:)),
    StoreConformanceCheck(
      "TokenConformance.rotationIssuesASuccessorAndGraceReplayReturnsTheSameOne",
      rotationIssuesASuccessorAndGraceReplayReturnsTheSameOne(kind:)),
    StoreConformanceCheck(
      "TokenConformance.replayOutsideTheGraceWindowRevokesTheWholeFamily",
      replayOutsideTheGraceWindowRevokesTheWholeFamily(kind:)),
    StoreConformanceCheck(
      "TokenConformance.replayAfterTheSuccessorWasUsedIsReuseEvenInsideTheGraceWindow",
      replayAfterTheSuccessorWasUsedIsReuseEvenInsideTheGraceWindow(kind:)),
    StoreConformanceCheck(
      "TokenConformance.expiryIsHonouredForTokenAndFamily", expiryIsHonouredForTokenAndFamily(kind:)
    ),
    StoreConformanceCheck(
      "TokenConformance.aRefusingPlanChangesNothing", aRefusingPlanChangesNothing(kind:)),
    StoreConformanceCheck(
      "TokenConformance.fiftyConcurrentRotationsLeaveAtMostOneLiveSuccessor",
      fiftyConcurrentRotationsLeaveAtMostOneLiveSuccessor(kind:)),
    StoreConformanceCheck(
      "TokenConformance.revokingAGrantKillsAllItsTokens", revokingAGrantKillsAllItsTokens(kind:)),
    StoreConformanceCheck(
      "TokenConformance.aRotationRacingARevocationLeavesNoLiveToken",
      aRotationRacingARevocationLeavesNoLiveToken(kind:)),
    StoreConformanceCheck(
      "TokenConformance.grantsAreListedAndRevokedByFilter", grantsAreListedAndRevokedByFilter(kind:)
    ),
  ]
}
