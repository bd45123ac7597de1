import LatchkeyStoreConformance
import Testing

@Suite("Store conformance: API keys")
struct APIKeyConformanceTests {
  @Test(arguments: StoreKind.allCases)
  func keysAreFoundByHashListedAndRevokedOnce(kind: StoreKind) async throws {
    try await APIKeyConformance.keysAreFoundByHashListedAndRevokedOnce(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func rotationRevokesTheOldKeyAndStoresTheNewOneAtomically(kind: StoreKind) async throws {
    try await APIKeyConformance.rotationRevokesTheOldKeyAndStoresTheNewOneAtomically(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func concurrentRotationsRotateOnce(kind: StoreKind) async throws {
    try await APIKeyConformance.concurrentRotationsRotateOnce(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func useIsRecordedAtMostOncePerInterval(kind: StoreKind) async throws {
    try await APIKeyConformance.useIsRecordedAtMostOncePerInterval(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func keysGoWithTheirOwner(kind: StoreKind) async throws {
    try await APIKeyConformance.keysGoWithTheirOwner(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func aKeyHoldingNULFindsNothing(kind: StoreKind) async throws {
    try await APIKeyConformance.aKeyHoldingNULFindsNothing(kind: kind.factory)
  }
}
