import LatchkeyCore
import LatchkeyStoreConformance
import LatchkeyTestSupport
import Testing

/// The suite the way a third-party store runs it (docs/storage.md), over the reference store.
@Suite("Store conformance as a product")
struct ThirdPartyStoreTests {
  @Test(arguments: StoreConformance.checks)
  func everyCheckPassesOnTheReferenceStore(_ check: StoreConformanceCheck) async throws {
    try await check.run(on: StoreFactory(name: "memory") { InMemoryStore() })
  }

  @Test func everyCheckIsListedOnceUnderItsOwnName() {
    let names = StoreConformance.checks.map(\.name)
    #expect(!names.isEmpty)
    #expect(Set(names).count == names.count)
    // Every public check function of the suite is listed: each name is "Suite.function".
    #expect(names.allSatisfy { $0.split(separator: ".").count == 2 })
  }
}
