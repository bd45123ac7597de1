import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Logging
import Testing

@testable import LatchkeyServer

@Suite("Housekeeping")
struct HousekeepingTests {
  @Test func removesExpiredRowsAndIdleDynamicClientsButKeepsClientsWithLiveGrants() async throws {
    let store = InMemoryStore()
    let clock = FixedClock(Fixtures.epoch)
    try await store.insertUser(Fixtures.user(id: "u1", at: clock.now()))
    try await store.insertClient(Fixtures.client(id: "idle", at: clock.now()))
    try await store.insertClient(Fixtures.client(id: "busy", at: clock.now()))
    try await store.insertClient(
      Fixtures.client(id: "operator", origin: .preregistered, at: clock.now()))
    let grant = Fixtures.grant(
      userID: "u1", clientID: "busy", at: clock.now(), lifetime: 90 * 86_400)
    let code = Fixtures.code(for: grant, at: clock.now())
    try await store.issueCode(code, grant: grant)
    #expect(
      try await store.issueRefreshToken(
        Fixtures.refreshToken(for: grant, at: clock.now(), lifetime: 3600)) == .issued)
    // A vault record of a live grant stays; a pending one whose interaction never issued a
    // code goes.
    try await store.insertUpstreamToken(
      UpstreamTokenRecord(
        id: "tied", userID: "u1", provider: "corp", interactionID: "i1", keyID: "k1",
        sealed: "x", createdAt: clock.now()))
    #expect(
      try await store.attachUpstreamToken(interactionID: "i1", grantID: grant.id, at: clock.now()))
    try await store.insertUpstreamToken(
      UpstreamTokenRecord(
        id: "abandoned", userID: "u1", provider: "corp", interactionID: "i2", keyID: "k1",
        sealed: "x", createdAt: clock.now()))

    clock.advance(by: 31 * 86_400)
    let housekeeping = Housekeeping(
      store: store, clock: clock, idleExpiry: 30 * 86_400, interval: .seconds(3600),
      logger: Logger(label: "test"))
    let report = try await housekeeping.runOnce()
    #expect(
      report
        == HousekeepingReport(
          expiredCodes: 1, expiredRefreshTokens: 1, idleClients: ["idle"], upstreamTokens: 1))
    #expect(try await store.upstreamToken(grantID: grant.id)?.id == "tied")
    #expect(try await store.clients().map(\.id).sorted() == ["busy", "operator"])
    let audit = try await store.auditEvents(matching: AuditQuery(type: "client.expired"))
    #expect(audit.map(\.clientID) == ["idle"])
    #expect(
      try await housekeeping.runOnce()
        == HousekeepingReport(expiredCodes: 0, expiredRefreshTokens: 0, idleClients: []))
  }
}
