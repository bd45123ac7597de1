import LatchkeyStoreConformance
import Testing

@Suite("Store conformance: audit events written with the change they record")
struct AuditInTransactionConformanceTests {
  @Test(arguments: StoreKind.allCases)
  func aRedemptionStoresItsEventAndAReplayStoresNone(kind: StoreKind) async throws {
    try await AuditInTransactionConformance.aRedemptionStoresItsEventAndAReplayStoresNone(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func aFailedRedemptionStoresNoEventAndLeavesTheCodeUnused(kind: StoreKind) async throws {
    try await AuditInTransactionConformance.aFailedRedemptionStoresNoEventAndLeavesTheCodeUnused(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func aRefusedRedemptionConsumesTheCodeAndStoresNothingElse(kind: StoreKind) async throws {
    try await AuditInTransactionConformance.aRefusedRedemptionConsumesTheCodeAndStoresNothingElse(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func aRotationStoresItsEventAndARefusedOneStoresNone(kind: StoreKind) async throws {
    try await AuditInTransactionConformance.aRotationStoresItsEventAndARefusedOneStoresNone(
      kind: kind.factory)
  }
}
