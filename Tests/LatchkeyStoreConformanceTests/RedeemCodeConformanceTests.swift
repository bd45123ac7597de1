import LatchkeyStoreConformance
import Testing

@Suite("Store conformance: code redemption with the first refresh token")
struct RedeemCodeConformanceTests {
  @Test(arguments: StoreKind.allCases)
  func redeemingStoresTheRefreshTokenWithTheConsumption(kind: StoreKind) async throws {
    try await RedeemCodeConformance.redeemingStoresTheRefreshTokenWithTheConsumption(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func noRefreshTokenWhenTheBuilderDeclines(kind: StoreKind) async throws {
    try await RedeemCodeConformance.noRefreshTokenWhenTheBuilderDeclines(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func expiredUnknownAndRevokedCodesIssueNothing(kind: StoreKind) async throws {
    try await RedeemCodeConformance.expiredUnknownAndRevokedCodesIssueNothing(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func fiftyConcurrentRedemptionsStoreExactlyOneRefreshToken(kind: StoreKind) async throws {
    try await RedeemCodeConformance.fiftyConcurrentRedemptionsStoreExactlyOneRefreshToken(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func aRedemptionRacingARevocationLeavesNoLiveToken(kind: StoreKind) async throws {
    try await RedeemCodeConformance.aRedemptionRacingARevocationLeavesNoLiveToken(
      kind: kind.factory)
  }
}
