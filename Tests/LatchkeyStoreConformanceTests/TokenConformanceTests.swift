import LatchkeyStoreConformance
import Testing

@Suite("Store conformance: codes and refresh tokens")
struct TokenConformanceTests {
  @Test(arguments: StoreKind.allCases)
  func codeIsConsumedOnceThenReportsItsGrant(kind: StoreKind) async throws {
    try await TokenConformance.codeIsConsumedOnceThenReportsItsGrant(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func fiftyConcurrentConsumesHaveExactlyOneWinner(kind: StoreKind) async throws {
    try await TokenConformance.fiftyConcurrentConsumesHaveExactlyOneWinner(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func expiredCodeIsRefusedAndNotConsumed(kind: StoreKind) async throws {
    try await TokenConformance.expiredCodeIsRefusedAndNotConsumed(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func refreshTokenNeedsALiveGrant(kind: StoreKind) async throws {
    try await TokenConformance.refreshTokenNeedsALiveGrant(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func rotationIssuesASuccessorAndGraceReplayReturnsTheSameOne(kind: StoreKind) async throws {
    try await TokenConformance.rotationIssuesASuccessorAndGraceReplayReturnsTheSameOne(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func replayOutsideTheGraceWindowRevokesTheWholeFamily(kind: StoreKind) async throws {
    try await TokenConformance.replayOutsideTheGraceWindowRevokesTheWholeFamily(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func replayAfterTheSuccessorWasUsedIsReuseEvenInsideTheGraceWindow(kind: StoreKind) async throws {
    try await TokenConformance.replayAfterTheSuccessorWasUsedIsReuseEvenInsideTheGraceWindow(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func expiryIsHonouredForTokenAndFamily(kind: StoreKind) async throws {
    try await TokenConformance.expiryIsHonouredForTokenAndFamily(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func aRefusingPlanChangesNothing(kind: StoreKind) async throws {
    try await TokenConformance.aRefusingPlanChangesNothing(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func fiftyConcurrentRotationsLeaveAtMostOneLiveSuccessor(kind: StoreKind) async throws {
    try await TokenConformance.fiftyConcurrentRotationsLeaveAtMostOneLiveSuccessor(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func aRotationRacingARevocationLeavesNoLiveToken(kind: StoreKind) async throws {
    try await TokenConformance.aRotationRacingARevocationLeavesNoLiveToken(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func revokingAGrantKillsAllItsTokens(kind: StoreKind) async throws {
    try await TokenConformance.revokingAGrantKillsAllItsTokens(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func grantsAreListedAndRevokedByFilter(kind: StoreKind) async throws {
    try await TokenConformance.grantsAreListedAndRevokedByFilter(kind: kind.factory)
  }
}
