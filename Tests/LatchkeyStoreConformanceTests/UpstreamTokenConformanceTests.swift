import LatchkeyStoreConformance
import Testing

@Suite("Store conformance: the token vault's rows")
struct UpstreamTokenConformanceTests {
  @Test(arguments: StoreKind.allCases)
  func aPendingRecordIsTiedToItsGrantOnce(kind: StoreKind) async throws {
    try await UpstreamTokenConformance.aPendingRecordIsTiedToItsGrantOnce(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func anUpdateComparesTheVersion(kind: StoreKind) async throws {
    try await UpstreamTokenConformance.anUpdateComparesTheVersion(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func theRecordDiesWithItsGrantByEveryPath(kind: StoreKind) async throws {
    try await UpstreamTokenConformance.theRecordDiesWithItsGrantByEveryPath(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func purgeAndDeleteByUser(kind: StoreKind) async throws {
    try await UpstreamTokenConformance.purgeAndDeleteByUser(kind: kind.factory)
  }
}
