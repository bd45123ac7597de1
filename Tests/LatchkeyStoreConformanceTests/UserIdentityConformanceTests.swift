import LatchkeyStoreConformance
import Testing

@Suite("Store conformance: identity provider links")
struct UserIdentityConformanceTests {
  @Test(arguments: StoreKind.allCases)
  func linksAreFoundByProviderAndSubjectOnce(kind: StoreKind) async throws {
    try await UserIdentityConformance.linksAreFoundByProviderAndSubjectOnce(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func aLinkKeepsTheLatestGroups(kind: StoreKind) async throws {
    try await UserIdentityConformance.aLinkKeepsTheLatestGroups(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func aLinkNeedsItsUserAndDiesWithIt(kind: StoreKind) async throws {
    try await UserIdentityConformance.aLinkNeedsItsUserAndDiesWithIt(kind: kind.factory)
  }
}
