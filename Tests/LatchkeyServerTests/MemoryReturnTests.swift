import LatchkeyCore
import LatchkeyTestSupport
import Logging
import Testing

@testable import LatchkeyServer

/// Memory is given back once after a load, never during one (issue 26).
@Suite("Memory return after load")
struct MemoryReturnTests {
  @Test(
    arguments: [
      // (requests since the previous check, since the last release, release?)
      (0, 5_000, true),  // the load stopped
      (20, 1_000, true),  // health probes are not load
      (21, 5_000, false),  // still busy
      (5_000, 5_000, false),  // busy
      (0, 999, false),  // too little since the last release to be worth it
      (0, 0, false),  // idle since start or since the last release
    ] as [(Int, Int, Bool)])
  func releasesOnceTheLoadStopped(sincePrevious: Int, sinceRelease: Int, release: Bool) {
    #expect(
      MemoryReturnRule.shouldRelease(sincePrevious: sincePrevious, sinceRelease: sinceRelease)
        == release)
  }

  @Test func everyRequestIsCounted() async throws {
    let before = RequestActivity.count
    RequestActivity.note()
    RequestActivity.note()
    #expect(RequestActivity.count >= before + 2)
  }

  @Test func releasingLeavesTheStoreWorking() async throws {
    let store = InMemoryStore()
    let clock = FixedClock(Fixtures.epoch)
    try await store.insertClient(Fixtures.client(id: "c1", at: clock.now()))
    MemoryReturn(store: store, interval: .seconds(20), logger: Logger(label: "test")).release()
    #expect(try await store.client(id: "c1")?.id == "c1")
  }
}
