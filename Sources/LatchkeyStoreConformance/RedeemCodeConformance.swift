import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

/// Store conformance: code redemption with the first refresh token (`StoreConformance.checks`).
public enum RedeemCodeConformance {
  static func firstToken(_ hash: String) -> @Sendable (AuthorizationCode, Grant) -> RefreshToken? {
    { code, grant in
      Fixtures.refreshToken(hash: hash, for: grant, at: code.issuedAt)
    }
  }

  public static func redeemingStoresTheRefreshTokenWithTheConsumption(kind: StoreFactory)
    async throws
  {
    let f = try await GrantFixture(kind: kind)
    let code = Fixtures.code(for: f.grant, at: t0)
    try await f.store.issueCode(code, grant: f.grant)
    let hash = Fixtures.randomHash()
    let result = try await f.store.redeemCode(
      hash: code.codeHash, at: t0.addingTimeInterval(1), firstRefreshToken: Self.firstToken(hash))
    guard case .redeemed(let redeemed, let grant, let token) = result else {
      Issue.record("expected redemption, got \(result)")
      return
    }
    #expect(redeemed.consumedAt == t0.addingTimeInterval(1) && grant == f.grant)
    #expect(token?.tokenHash == hash)
    #expect(try await f.store.refreshToken(hash: hash) == token)
    let replay = try await f.store.redeemCode(
      hash: code.codeHash, at: t0.addingTimeInterval(2),
      firstRefreshToken: Self.firstToken(Fixtures.randomHash()))
    #expect(replay == .alreadyUsed(grantID: f.grant.id))
    #expect(
      try await f.store.consumeCode(hash: code.codeHash, at: t0)
        == .alreadyUsed(grantID: f.grant.id))
  }

  public static func noRefreshTokenWhenTheBuilderDeclines(kind: StoreFactory) async throws {
    let f = try await GrantFixture(kind: kind)
    let code = Fixtures.code(for: f.grant, at: t0)
    try await f.store.issueCode(code, grant: f.grant)
    let result = try await f.store.redeemCode(
      hash: code.codeHash, at: t0, firstRefreshToken: { _, _ in nil })
    guard case .redeemed(_, _, nil) = result else {
      Issue.record("expected a redemption without token, got \(result)")
      return
    }
  }

  public static func expiredUnknownAndRevokedCodesIssueNothing(kind: StoreFactory) async throws {
    let f = try await GrantFixture(kind: kind)
    let code = Fixtures.code(for: f.grant, at: t0, lifetime: 60)
    try await f.store.issueCode(code, grant: f.grant)
    let hash = Fixtures.randomHash()
    #expect(
      try await f.store.redeemCode(
        hash: code.codeHash, at: t0.addingTimeInterval(60), firstRefreshToken: Self.firstToken(hash)
      )
        == .expired)
    #expect(
      try await f.store.redeemCode(
        hash: Fixtures.randomHash(), at: t0, firstRefreshToken: Self.firstToken(hash)) == .notFound)
    _ = try await f.store.revokeGrant(id: f.grant.id, at: t0, reason: "user disabled")
    #expect(
      try await f.store.redeemCode(
        hash: code.codeHash, at: t0, firstRefreshToken: Self.firstToken(hash))
        == .grantNotLive(grantID: f.grant.id))
    #expect(try await f.store.refreshToken(hash: hash) == nil)
    #expect(
      try await f.store.consumeCode(hash: code.codeHash, at: t0)
        == .alreadyUsed(grantID: f.grant.id))
  }

  public static func fiftyConcurrentRedemptionsStoreExactlyOneRefreshToken(kind: StoreFactory)
    async throws
  {
    let f = try await GrantFixture(kind: kind)
    let code = Fixtures.code(for: f.grant, at: t0)
    try await f.store.issueCode(code, grant: f.grant)
    let store = f.store
    let results = try await withThrowingTaskGroup(of: CodeRedemption.self) { group in
      for _ in 0..<50 {
        group.addTask {
          try await store.redeemCode(
            hash: code.codeHash, at: t0, firstRefreshToken: Self.firstToken(Fixtures.randomHash()))
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    let tokens = results.compactMap { result -> RefreshToken? in
      if case .redeemed(_, _, let token) = result { token } else { nil }
    }
    #expect(tokens.count == 1)
    #expect(results.filter { $0 == .alreadyUsed(grantID: f.grant.id) }.count == 49)
    #expect(try await store.refreshToken(hash: tokens[0].tokenHash) != nil)
  }

  /// A redemption racing a revocation of its grant, twenty times: whichever commits first, the
  /// code ends consumed or the grant revoked with no live refresh token (a token minted
  /// concurrently is revoked with its grant).
  public static func aRedemptionRacingARevocationLeavesNoLiveToken(kind: StoreFactory)
    async throws
  {
    try await forEachRacedGrant(kind: kind) { store, grant, code in
      let first = Fixtures.randomHash()
      async let redemption = store.redeemCode(
        hash: code.codeHash, at: t0, firstRefreshToken: Self.firstToken(first))
      async let revoked = store.revokeGrant(id: grant.id, at: t0, reason: "admin")
      let (outcome, didRevoke) = try await (redemption, revoked)
      #expect(didRevoke)
      switch outcome {
      case .redeemed:
        #expect(try await store.refreshToken(hash: first)?.revokedAt != nil)
      case .grantNotLive(let grantID):
        #expect(grantID == grant.id)
        #expect(try await store.refreshToken(hash: first) == nil)
      default: Issue.record("undefined outcome \(outcome)")
      }
    }
  }

  /// The checks above, by name.
  public static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "RedeemCodeConformance.aRedemptionRacingARevocationLeavesNoLiveToken",
      aRedemptionRacingARevocationLeavesNoLiveToken(kind:)),
    StoreConformanceCheck(
      "RedeemCodeConformance.redeemingStoresTheRefreshTokenWithTheConsumption",
      redeemingStoresTheRefreshTokenWithTheConsumption(kind:)),
    StoreConformanceCheck(
      "RedeemCodeConformance.noRefreshTokenWhenTheBuilderDeclines",
      noRefreshTokenWhenTheBuilderDeclines(kind:)),
    StoreConformanceCheck(
      "RedeemCodeConformance.expiredUnknownAndRevokedCodesIssueNothing",
      expiredUnknownAndRevokedCodesIssueNothing(kind:)),
    StoreConformanceCheck(
      "RedeemCodeConformance.fiftyConcurrentRedemptionsStoreExactlyOneRefreshToken",
      fiftyConcurrentRedemptionsStoreExactlyOneRefreshToken(kind:)),
  ]
}
