import Foundation
import LatchkeyCore
import Testing

@Suite("Store conformance: sessions, login back-off, rate windows")
struct EphemeralStateConformanceTests {
  @Test(arguments: StoreKind.allCases)
  func sessionsLiveUntilTheyExpire(kind: StoreKind) async throws {
    let state = try await kind.makeEphemeralState()
    let session = StoredLoginSession(userID: "u1", expiresAt: t0.addingTimeInterval(60))
    try await state.startLoginSession(hash: "h1", session: session)
    #expect(try await state.loginSession(hash: "h1", at: t0) == session)
    #expect(try await state.loginSession(hash: "h2", at: t0) == nil)
    #expect(try await state.loginSession(hash: "h1", at: t0.addingTimeInterval(60)) == nil)
  }

  @Test(arguments: StoreKind.allCases)
  func failuresOpenDoublingWindowsAndSuccessResets(kind: StoreKind) async throws {
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

  @Test(arguments: StoreKind.allCases)
  func aFixedWindowCountsToItsLimitThenResets(kind: StoreKind) async throws {
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

  @Test(arguments: StoreKind.allCases)
  func fiftyConcurrentAcquisitionsGrantExactlyTheLimit(kind: StoreKind) async throws {
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
}
