import LatchkeyStoreConformance
import Testing

@Suite("Store conformance: clients, users, resources")
struct ClientUserResourceConformanceTests {
  @Test(arguments: StoreKind.allCases)
  func clientCRUD(kind: StoreKind) async throws {
    try await ClientUserResourceConformance.clientCRUD(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func deletingAClientCascadesToItsGrantsCodesAndTokens(kind: StoreKind) async throws {
    try await ClientUserResourceConformance.deletingAClientCascadesToItsGrantsCodesAndTokens(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func idleDynamicClientsExpireButNeverWithLiveGrants(kind: StoreKind) async throws {
    try await ClientUserResourceConformance.idleDynamicClientsExpireButNeverWithLiveGrants(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func userCRUD(kind: StoreKind) async throws {
    try await ClientUserResourceConformance.userCRUD(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func resourceCRUD(kind: StoreKind) async throws {
    try await ClientUserResourceConformance.resourceCRUD(kind: kind.factory)
  }
}
