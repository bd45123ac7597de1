import LatchkeyStoreConformance
import Testing

@Suite("Store conformance: keys holding NUL")
struct NULKeyConformanceTests {
  @Test(arguments: StoreKind.allCases)
  func aKeyHoldingNULFindsNothing(kind: StoreKind) async throws {
    try await NULKeyConformance.aKeyHoldingNULFindsNothing(kind: kind.factory)
  }
}
