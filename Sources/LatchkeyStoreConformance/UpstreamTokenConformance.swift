import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

/// Store conformance: the token vault's rows (`StoreConformance.checks`), issue 23 §4.
public enum UpstreamTokenConformance {
  static func pending(
    _ id: String, interaction: String, user: String = "u1", provider: String = "corp",
    at time: Date = t0
  ) -> UpstreamTokenRecord {
    UpstreamTokenRecord(
      id: id, userID: user, provider: provider, interactionID: interaction, keyID: "k1",
      sealed: "sealed-\(id)", accessExpiresAt: time.addingTimeInterval(3600), createdAt: time)
  }

  /// A pending record is found by nothing but its interaction; attaching ties it to the grant
  /// once, replaces the grant's older record, and a second attach of the interaction fails.
  public static func aPendingRecordIsTiedToItsGrantOnce(kind: StoreFactory) async throws {
    let f = try await GrantFixture(kind: kind)
    try await f.store.issueCode(Fixtures.code(for: f.grant, at: t0), grant: f.grant)
    await #expect(throws: StoreError.notFound("referenced row")) {
      try await f.store.insertUpstreamToken(pending("r0", interaction: "i0", user: "ghost"))
    }
    try await f.store.insertUpstreamToken(pending("r1", interaction: "i1"))
    // A second sign-in in the same interaction replaces the first record.
    try await f.store.insertUpstreamToken(pending("r2", interaction: "i1"))
    #expect(try await f.store.upstreamToken(grantID: f.grant.id) == nil)
    #expect(
      try await f.store.attachUpstreamToken(interactionID: "i1", grantID: "no-grant", at: t0)
        == false)
    let later = t0.addingTimeInterval(5)
    #expect(
      try await f.store.attachUpstreamToken(interactionID: "i1", grantID: f.grant.id, at: later))
    let tied = try #require(try await f.store.upstreamToken(grantID: f.grant.id))
    #expect(tied.id == "r2" && tied.sealed == "sealed-r2" && tied.interactionID == nil)
    #expect(tied.grantID == f.grant.id && tied.updatedAt == later && tied.version == 1)
    #expect(tied.accessExpiresAt == t0.addingTimeInterval(3600))
    #expect(
      try await f.store.attachUpstreamToken(interactionID: "i1", grantID: f.grant.id, at: later)
        == false)
    try await f.store.insertUpstreamToken(pending("r3", interaction: "i2"))
    #expect(
      try await f.store.attachUpstreamToken(interactionID: "i2", grantID: f.grant.id, at: later))
    #expect(try await f.store.upstreamToken(grantID: f.grant.id)?.id == "r3")
  }

  /// Two refreshes of one record: the one holding the stored version wins, the other is told.
  public static func anUpdateComparesTheVersion(kind: StoreFactory) async throws {
    let f = try await GrantFixture(kind: kind)
    try await f.store.issueCode(Fixtures.code(for: f.grant, at: t0), grant: f.grant)
    try await f.store.insertUpstreamToken(pending("r1", interaction: "i1"))
    _ = try await f.store.attachUpstreamToken(interactionID: "i1", grantID: f.grant.id, at: t0)
    var first = try #require(try await f.store.upstreamToken(grantID: f.grant.id))
    var second = first
    first.sealed = "refreshed-by-first"
    first.keyID = "k2"
    first.accessExpiresAt = t0.addingTimeInterval(7200)
    second.sealed = "refreshed-by-second"
    let later = t0.addingTimeInterval(10)
    #expect(try await f.store.updateUpstreamToken(first, at: later))
    #expect(try await f.store.updateUpstreamToken(second, at: later) == false)
    let stored = try #require(try await f.store.upstreamToken(grantID: f.grant.id))
    #expect(stored.sealed == "refreshed-by-first" && stored.keyID == "k2" && stored.version == 2)
    #expect(stored.accessExpiresAt == t0.addingTimeInterval(7200) && stored.updatedAt == later)
  }

  /// Revoking the grant — directly, by filter (a disabled user) or by refresh-token reuse —
  /// deletes its record; so does deleting the user or the client.
  public static func theRecordDiesWithItsGrantByEveryPath(kind: StoreFactory) async throws {
    func tied(_ f: GrantFixture, _ id: String) async throws {
      try await f.store.insertUpstreamToken(pending(id, interaction: "i-\(id)"))
      #expect(
        try await f.store.attachUpstreamToken(interactionID: "i-\(id)", grantID: f.grant.id, at: t0)
      )
    }
    let direct = try await GrantFixture(kind: kind)
    try await direct.store.issueCode(Fixtures.code(for: direct.grant, at: t0), grant: direct.grant)
    try await tied(direct, "a")
    #expect(try await direct.store.revokeGrant(id: direct.grant.id, at: t0, reason: "admin"))
    #expect(try await direct.store.upstreamToken(grantID: direct.grant.id) == nil)

    let byFilter = try await GrantFixture(kind: kind)
    try await byFilter.store.issueCode(
      Fixtures.code(for: byFilter.grant, at: t0), grant: byFilter.grant)
    try await tied(byFilter, "b")
    _ = try await byFilter.store.revokeGrants(
      matching: GrantFilter(userID: "u1"), at: t0, reason: "user_disabled")
    #expect(try await byFilter.store.upstreamToken(grantID: byFilter.grant.id) == nil)

    let reuse = try await GrantFixture(kind: kind)
    let first = try await reuse.issueFirstRefreshToken()
    try await tied(reuse, "c")
    _ = try await reuse.store.rotateRefreshToken(
      hash: first.tokenHash, at: t0, graceWindow: 30,
      makeSuccessor: successor(hash: Fixtures.randomHash(), at: t0))
    let replay = try await reuse.store.rotateRefreshToken(
      hash: first.tokenHash, at: t0.addingTimeInterval(31), graceWindow: 30,
      makeSuccessor: successor(hash: Fixtures.randomHash(), at: t0.addingTimeInterval(31)))
    #expect(replay == .reuseDetected(grantID: reuse.grant.id))
    #expect(try await reuse.store.upstreamToken(grantID: reuse.grant.id) == nil)

    let userGone = try await GrantFixture(kind: kind)
    try await userGone.store.issueCode(
      Fixtures.code(for: userGone.grant, at: t0), grant: userGone.grant)
    try await tied(userGone, "d")
    try await userGone.store.insertUpstreamToken(pending("e", interaction: "i-e"))
    try await userGone.store.deleteUser(id: "u1")
    #expect(try await userGone.store.upstreamToken(grantID: userGone.grant.id) == nil)
    #expect(
      try await userGone.store.purgeUpstreamTokens(
        pendingCreatedBefore: t0.addingTimeInterval(86_400), now: t0) == 0,
      "the pending record went with its user")
  }

  /// Housekeeping drops stale pending records and records of expired grants; a user's records
  /// can be deleted per provider.
  public static func purgeAndDeleteByUser(kind: StoreFactory) async throws {
    let f = try await GrantFixture(kind: kind, grantLifetime: 100)
    try await f.store.issueCode(Fixtures.code(for: f.grant, at: t0), grant: f.grant)
    try await f.store.insertUpstreamToken(pending("tied", interaction: "i1"))
    _ = try await f.store.attachUpstreamToken(interactionID: "i1", grantID: f.grant.id, at: t0)
    try await f.store.insertUpstreamToken(pending("old", interaction: "i2", at: t0))
    try await f.store.insertUpstreamToken(
      pending("new", interaction: "i3", provider: "github", at: t0.addingTimeInterval(50)))
    #expect(
      try await f.store.purgeUpstreamTokens(
        pendingCreatedBefore: t0.addingTimeInterval(10), now: t0.addingTimeInterval(20)) == 1)
    #expect(try await f.store.upstreamToken(grantID: f.grant.id)?.id == "tied")
    #expect(
      try await f.store.purgeUpstreamTokens(
        pendingCreatedBefore: t0.addingTimeInterval(10), now: t0.addingTimeInterval(100)) == 1)
    #expect(try await f.store.upstreamToken(grantID: f.grant.id) == nil)
    #expect(try await f.store.deleteUpstreamTokens(userID: "u1", provider: "corp") == 0)
    #expect(try await f.store.deleteUpstreamTokens(userID: "u1", provider: "github") == 1)
    #expect(try await f.store.deleteUpstreamTokens(userID: "u1", provider: nil) == 0)
  }

  /// The checks above, by name.
  public static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "UpstreamTokenConformance.aPendingRecordIsTiedToItsGrantOnce",
      aPendingRecordIsTiedToItsGrantOnce(kind:)),
    StoreConformanceCheck(
      "UpstreamTokenConformance.anUpdateComparesTheVersion", anUpdateComparesTheVersion(kind:)),
    StoreConformanceCheck(
      "UpstreamTokenConformance.theRecordDiesWithItsGrantByEveryPath",
      theRecordDiesWithItsGrantByEveryPath(kind:)),
    StoreConformanceCheck(
      "UpstreamTokenConformance.purgeAndDeleteByUser", purgeAndDeleteByUser(kind:)),
  ]
}
