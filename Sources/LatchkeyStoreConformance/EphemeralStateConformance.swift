import Foundation
import LatchkeyCore
import Testing

/// Store conformance: sessions, interactions, login back-off, devices, rate windows (`StoreConformance.checks`).
public enum EphemeralStateConformance {
  public static func sessionsLiveUntilTheyExpire(kind: StoreFactory) async throws {
    let state = try await kind.makeEphemeralState()
    let session = StoredLoginSession(userID: "u1", expiresAt: t0.addingTimeInterval(60))
    try await state.startLoginSession(hash: "h1", session: session)
    #expect(try await state.loginSession(hash: "h1", at: t0) == session)
    #expect(try await state.loginSession(hash: "h2", at: t0) == nil)
    #expect(try await state.loginSession(hash: "h1", at: t0.addingTimeInterval(60)) == nil)
  }

  public static func failuresOpenDoublingWindowsAndSuccessResets(kind: StoreFactory) async throws {
    let state = try await kind.makeEphemeralState()
    for _ in 0..<(LoginBackoffRule.freeFailures - 1) {
      try await state.recordLoginFailure(account: "alice", at: t0)
    }
    #expect(try await state.loginRefusal(account: "alice", at: t0) == nil)
    try await state.recordLoginFailure(account: "alice", at: t0)
    #expect(try await state.loginRefusal(account: "alice", at: t0) == t0.addingTimeInterval(1))
    try await state.recordLoginFailure(account: "alice", at: t0.addingTimeInterval(2))
    #expect(
      try await state.loginRefusal(account: "alice", at: t0.addingTimeInterval(2))
        == t0.addingTimeInterval(4))
    #expect(try await state.loginRefusal(account: "bob", at: t0) == nil)
    try await state.recordLoginSuccess(account: "alice")
    #expect(try await state.loginRefusal(account: "alice", at: t0.addingTimeInterval(2)) == nil)
  }

  public static func aFixedWindowCountsToItsLimitThenResets(kind: StoreFactory) async throws {
    let state = try await kind.makeEphemeralState()
    for _ in 0..<3 {
      #expect(try await state.acquireRateSlot(key: "k", limit: 3, window: 60, at: t0) == nil)
    }
    #expect(
      try await state.acquireRateSlot(key: "k", limit: 3, window: 60, at: t0.addingTimeInterval(20))
        == 40)
    #expect(try await state.acquireRateSlot(key: "other", limit: 3, window: 60, at: t0) == nil)
    #expect(
      try await state.acquireRateSlot(key: "k", limit: 3, window: 60, at: t0.addingTimeInterval(60))
        == nil)
  }

  public static func fiftyConcurrentAcquisitionsGrantExactlyTheLimit(kind: StoreFactory)
    async throws
  {
    let state = try await kind.makeEphemeralState()
    let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
      for _ in 0..<50 {
        group.addTask {
          try await state.acquireRateSlot(key: "burst", limit: 7, window: 60, at: t0) == nil
        }
      }
      return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
    }
    #expect(granted == 7)
  }

  static func interaction(expiresIn seconds: TimeInterval = 600) -> StoredInteraction {
    StoredInteraction(
      browserHash: "b1", userID: nil, parameters: "client_id=c&state=s%20t",
      expiresAt: t0.addingTimeInterval(seconds))
  }

  public static func anInteractionIsBoundThenCompletedOnce(kind: StoreFactory) async throws {
    let state = try await kind.makeEphemeralState()
    let stored = Self.interaction()
    try await state.startInteraction(hash: "i1", interaction: stored)
    #expect(try await state.interaction(hash: "i1", at: t0) == .pending(stored))
    #expect(try await state.interaction(hash: "unknown", at: t0) == .expired)
    #expect(try await state.bindInteraction(hash: "i1", userID: "u1", at: t0))
    var bound = stored
    bound.userID = "u1"
    #expect(try await state.interaction(hash: "i1", at: t0) == .pending(bound))
    #expect(try await state.completeInteraction(hash: "i1", at: t0))
    #expect(try await state.interaction(hash: "i1", at: t0) == .completed)
    #expect(try await !state.completeInteraction(hash: "i1", at: t0))
    #expect(try await !state.bindInteraction(hash: "i1", userID: "u2", at: t0))
    #expect(try await !state.completeInteraction(hash: "unknown", at: t0))
  }

  public static func anExpiredInteractionCannotBeDecidedAndIsPruned(kind: StoreFactory) async throws
  {
    let state = try await kind.makeEphemeralState()
    try await state.startInteraction(hash: "i1", interaction: Self.interaction(expiresIn: 60))
    let later = t0.addingTimeInterval(60)
    #expect(try await state.interaction(hash: "i1", at: later) == .expired)
    #expect(try await !state.bindInteraction(hash: "i1", userID: "u1", at: later))
    #expect(try await !state.completeInteraction(hash: "i1", at: later))
    try await state.pruneEphemeralState(at: later)
    #expect(try await state.interaction(hash: "i1", at: t0) == .expired)
  }

  public static func fiftyConcurrentDecisionsCompleteAnInteractionOnce(kind: StoreFactory)
    async throws
  {
    let state = try await kind.makeEphemeralState()
    try await state.startInteraction(hash: "race", interaction: Self.interaction())
    let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
      for _ in 0..<50 {
        group.addTask { try await state.completeInteraction(hash: "race", at: t0) }
      }
      return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
    }
    #expect(winners == 1)
  }

  public static func devicesAreTrustedUntilTheyExpire(kind: StoreFactory) async throws {
    let state = try await kind.makeEphemeralState()
    #expect(try await !state.isTrustedDevice(hash: "d1", at: t0))
    try await state.trustDevice(hash: "d1", expiresAt: t0.addingTimeInterval(60))
    #expect(try await state.isTrustedDevice(hash: "d1", at: t0))
    #expect(try await !state.isTrustedDevice(hash: "d2", at: t0))
    #expect(try await !state.isTrustedDevice(hash: "d1", at: t0.addingTimeInterval(60)))
    try await state.trustDevice(hash: "d1", expiresAt: t0.addingTimeInterval(120))
    #expect(try await state.isTrustedDevice(hash: "d1", at: t0.addingTimeInterval(60)))
  }

  /// RFC 7523 §3 item 7: a client assertion id is accepted once while it lives, even when
  /// twenty requests present it at the same moment; after it expires it is forgotten.
  public static func aClientAssertionIDIsAcceptedOnce(kind: StoreFactory) async throws {
    let state = try await kind.makeEphemeralState()
    let until = t0.addingTimeInterval(60)
    let firsts = try await withThrowingTaskGroup(of: Bool.self) { group in
      for _ in 0..<20 {
        group.addTask {
          try await state.recordClientAssertion(hash: "a1", expiresAt: until, at: t0)
        }
      }
      return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
    }
    #expect(firsts == 1)
    #expect(try await state.recordClientAssertion(hash: "a2", expiresAt: until, at: t0))
    #expect(try await !state.recordClientAssertion(hash: "a1", expiresAt: until, at: t0))
    let later = until.addingTimeInterval(1)
    #expect(try await state.recordClientAssertion(hash: "a1", expiresAt: later + 60, at: later))
  }

  public static func failuresFollowTheCountersPolicyAndReportTheWindowOpened(kind: StoreFactory)
    async throws
  {
    let state = try await kind.makeEphemeralState()
    let policy = LoginBackoffRule.Policy(freeFailures: 2, firstWindow: 10, maximumWindow: 15)
    #expect(try await state.recordLoginFailure(account: "k", policy: policy, at: t0) == nil)
    #expect(
      try await state.recordLoginFailure(account: "k", policy: policy, at: t0)
        == t0.addingTimeInterval(10))
    #expect(
      try await state.recordLoginFailure(account: "k", policy: policy, at: t0)
        == t0.addingTimeInterval(15))
    #expect(try await state.loginRefusal(account: "k", at: t0) == t0.addingTimeInterval(15))
  }

  /// The checks above, by name.
  public static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "EphemeralStateConformance.sessionsLiveUntilTheyExpire", sessionsLiveUntilTheyExpire(kind:)),
    StoreConformanceCheck(
      "EphemeralStateConformance.failuresOpenDoublingWindowsAndSuccessResets",
      failuresOpenDoublingWindowsAndSuccessResets(kind:)),
    StoreConformanceCheck(
      "EphemeralStateConformance.aFixedWindowCountsToItsLimitThenResets",
      aFixedWindowCountsToItsLimitThenResets(kind:)),
    StoreConformanceCheck(
      "EphemeralStateConformance.fiftyConcurrentAcquisitionsGrantExactlyTheLimit",
      fiftyConcurrentAcquisitionsGrantExactlyTheLimit(kind:)),
    StoreConformanceCheck(
      "EphemeralStateConformance.anInteractionIsBoundThenCompletedOnce",
      anInteractionIsBoundThenCompletedOnce(kind:)),
    StoreConformanceCheck(
      "EphemeralStateConformance.anExpiredInteractionCannotBeDecidedAndIsPruned",
      anExpiredInteractionCannotBeDecidedAndIsPruned(kind:)),
    StoreConformanceCheck(
      "EphemeralStateConformance.fiftyConcurrentDecisionsCompleteAnInteractionOnce",
      fiftyConcurrentDecisionsCompleteAnInteractionOnce(kind:)),
    StoreConformanceCheck(
      "EphemeralStateConformance.devicesAreTrustedUntilTheyExpire",
      devicesAreTrustedUntilTheyExpire(kind:)),
    StoreConformanceCheck(
      "EphemeralStateConformance.aClientAssertionIDIsAcceptedOnce",
      aClientAssertionIDIsAcceptedOnce(kind:)),
    StoreConformanceCheck(
      "EphemeralStateConformance.failuresFollowTheCountersPolicyAndReportTheWindowOpened",
      failuresFollowTheCountersPolicyAndReportTheWindowOpened(kind:)),
  ]
}
