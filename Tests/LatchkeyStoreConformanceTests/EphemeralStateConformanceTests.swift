import LatchkeyStoreConformance
import Testing

@Suite("Store conformance: sessions, interactions, login back-off, devices, rate windows")
struct EphemeralStateConformanceTests {
  @Test(arguments: StoreKind.allCases)
  func sessionsLiveUntilTheyExpire(kind: StoreKind) async throws {
    try await EphemeralStateConformance.sessionsLiveUntilTheyExpire(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func failuresOpenDoublingWindowsAndSuccessResets(kind: StoreKind) async throws {
    try await EphemeralStateConformance.failuresOpenDoublingWindowsAndSuccessResets(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func aFixedWindowCountsToItsLimitThenResets(kind: StoreKind) async throws {
    try await EphemeralStateConformance.aFixedWindowCountsToItsLimitThenResets(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func fiftyConcurrentAcquisitionsGrantExactlyTheLimit(kind: StoreKind) async throws {
    try await EphemeralStateConformance.fiftyConcurrentAcquisitionsGrantExactlyTheLimit(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func anInteractionIsBoundThenCompletedOnce(kind: StoreKind) async throws {
    try await EphemeralStateConformance.anInteractionIsBoundThenCompletedOnce(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func anExpiredInteractionCannotBeDecidedAndIsPruned(kind: StoreKind) async throws {
    try await EphemeralStateConformance.anExpiredInteractionCannotBeDecidedAndIsPruned(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func fiftyConcurrentDecisionsCompleteAnInteractionOnce(kind: StoreKind) async throws {
    try await EphemeralStateConformance.fiftyConcurrentDecisionsCompleteAnInteractionOnce(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func devicesAreTrustedUntilTheyExpire(kind: StoreKind) async throws {
    try await EphemeralStateConformance.devicesAreTrustedUntilTheyExpire(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func aClientAssertionIDIsAcceptedOnce(kind: StoreKind) async throws {
    try await EphemeralStateConformance.aClientAssertionIDIsAcceptedOnce(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func failuresFollowTheCountersPolicyAndReportTheWindowOpened(kind: StoreKind) async throws {
    try await EphemeralStateConformance.failuresFollowTheCountersPolicyAndReportTheWindowOpened(
      kind: kind.factory)
  }
}
