import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

/// Store conformance: consent, signing keys, audit (`StoreConformance.checks`).
public enum ConsentKeyAuditConformance {
  public static func consentIsRememberedAndIncremental(kind: StoreFactory) async throws {
    let store = try await kind.makeStore()
    try await store.insertUser(Fixtures.user(id: "u1", at: t0))
    try await store.insertClient(Fixtures.client(id: "c1", at: t0))
    let r = Fixtures.resourceURL
    #expect(try await store.consent(userID: "u1", clientID: "c1", resource: r) == nil)
    let first = try await store.approveConsent(
      userID: "u1", clientID: "c1", resource: r, scopes: ScopeSet(["notes:read"]), at: t0)
    #expect(first.scopes == ScopeSet(["notes:read"]))
    let second = try await store.approveConsent(
      userID: "u1", clientID: "c1", resource: r, scopes: ScopeSet(["notes:write"]),
      at: t0.addingTimeInterval(5))
    #expect(second.scopes == ScopeSet(["notes:read", "notes:write"]))
    #expect(second.grantedAt == t0 && second.updatedAt == t0.addingTimeInterval(5))
    #expect(try await store.consent(userID: "u1", clientID: "c1", resource: r) == second)
    #expect(try await store.consents(userID: "u1") == [second])
    #expect(try await store.revokeConsent(userID: "u1", clientID: "c1", resource: r))
    #expect(try await store.revokeConsent(userID: "u1", clientID: "c1", resource: r) == false)
  }

  public static func concurrentApprovalsKeepTheUnion(kind: StoreFactory) async throws {
    let store = try await kind.makeStore()
    try await store.insertUser(Fixtures.user(id: "u1", at: t0))
    try await store.insertClient(Fixtures.client(id: "c1", at: t0))
    let scopes = (0..<20).map { "s\($0)" }
    try await withThrowingTaskGroup(of: Void.self) { group in
      for scope in scopes {
        group.addTask {
          _ = try await store.approveConsent(
            userID: "u1", clientID: "c1", resource: Fixtures.resourceURL, scopes: ScopeSet([scope]),
            at: t0)
        }
      }
      try await group.waitForAll()
    }
    let consent = try await store.consent(
      userID: "u1", clientID: "c1", resource: Fixtures.resourceURL)
    #expect(consent?.scopes == ScopeSet(scopes))
    #expect(try await store.consents(userID: "u1").count == 1)
  }

  public static func signingKeyLifecycle(kind: StoreFactory) async throws {
    let store = try await kind.makeStore()
    let k1 = Fixtures.signingKey(kid: "k1", at: t0)
    #expect(try await store.activeKeyInsertingIfNone(k1) == k1)
    let again = try await store.activeKeyInsertingIfNone(Fixtures.signingKey(kid: "k1b", at: t0))
    #expect(again.kid == "k1")
    #expect(try await store.signingKeys().map(\.kid) == ["k1"])

    let later = t0.addingTimeInterval(3600)
    try await store.rotateSigningKey(to: Fixtures.signingKey(kid: "k2", at: later), at: later)
    let keys = try await store.signingKeys()
    #expect(keys.map(\.kid) == ["k1", "k2"])
    #expect(keys.map(\.state) == [.published, .active])
    #expect(keys[0].deactivatedAt == later)
    await #expect(throws: StoreError.conflict("key")) {
      try await store.rotateSigningKey(to: Fixtures.signingKey(kid: "k2", at: later), at: later)
    }

    try await store.setSigningKeyState(kid: "k1", to: .retired, at: later.addingTimeInterval(10))
    let retired = try await store.signingKeys().first { $0.kid == "k1" }
    #expect(retired?.state == .retired && retired?.retiredAt == later.addingTimeInterval(10))
    await #expect(throws: StoreError.notFound("key")) {
      try await store.setSigningKeyState(kid: "nope", to: .retired, at: later)
    }
  }

  public static func concurrentFirstStartsAgreeOnOneActiveKey(kind: StoreFactory) async throws {
    let store = try await kind.makeStore()
    let winners = try await withThrowingTaskGroup(of: String.self) { group in
      for index in 0..<10 {
        group.addTask {
          try await store.activeKeyInsertingIfNone(Fixtures.signingKey(kid: "k\(index)", at: t0))
            .kid
        }
      }
      return try await group.reduce(into: Set<String>()) { $0.insert($1) }
    }
    #expect(winners.count == 1)
    #expect(try await store.signingKeys().filter { $0.state == .active }.count == 1)
  }

  public static func auditAppendQueryAndPrune(kind: StoreFactory) async throws {
    let store = try await kind.makeStore()
    var ids: [Int64] = []
    for index in 0..<6 {
      let event = AuditEvent(
        time: t0.addingTimeInterval(Double(index) * 60),
        type: index % 2 == 0 ? "login" : "token.issued",
        outcome: index == 4 ? .failure : .success, userID: "u\(index % 3)", clientID: "c1",
        resource: Fixtures.resourceURL, scopes: ScopeSet(["notes:read"]),
        sourceAddress: "127.0.0.1",
        detail: "n\(index)")
      ids.append(try await store.appendAudit(event))
    }
    #expect(ids == ids.sorted() && Set(ids).count == 6)
    let all = try await store.auditEvents(matching: AuditQuery())
    #expect(all.map(\.detail) == ["n0", "n1", "n2", "n3", "n4", "n5"])
    #expect(all[0].scopes == ScopeSet(["notes:read"]) && all[0].sourceAddress == "127.0.0.1")
    #expect(
      try await store.auditEvents(matching: AuditQuery(type: "login")).map(\.detail) == [
        "n0", "n2", "n4",
      ])
    #expect(
      try await store.auditEvents(matching: AuditQuery(outcome: .failure)).map(\.detail) == ["n4"])
    #expect(
      try await store.auditEvents(matching: AuditQuery(userID: "u1")).map(\.detail) == ["n1", "n4"])
    let window = AuditQuery(since: t0.addingTimeInterval(60), until: t0.addingTimeInterval(180))
    #expect(try await store.auditEvents(matching: window).map(\.detail) == ["n1", "n2"])
    #expect(
      try await store.auditEvents(matching: AuditQuery(afterID: ids[3])).map(\.detail) == [
        "n4", "n5",
      ])
    #expect(
      try await store.auditEvents(matching: AuditQuery(limit: 2)).map(\.detail) == ["n0", "n1"])
    let newest = AuditQuery(limit: 2, newestFirst: true)
    #expect(try await store.auditEvents(matching: newest).map(\.detail) == ["n5", "n4"])
    let newestLogins = AuditQuery(type: "login", limit: 10, newestFirst: true)
    #expect(
      try await store.auditEvents(matching: newestLogins).map(\.detail) == ["n4", "n2", "n0"])
    #expect(try await store.pruneAudit(before: t0.addingTimeInterval(120)) == 2)
    #expect(
      try await store.auditEvents(matching: AuditQuery()).map(\.detail) == ["n2", "n3", "n4", "n5"])
  }

  /// The checks above, by name.
  public static let checks: [StoreConformanceCheck] = [
    StoreConformanceCheck(
      "ConsentKeyAuditConformance.consentIsRememberedAndIncremental",
      consentIsRememberedAndIncremental(kind:)),
    StoreConformanceCheck(
      "ConsentKeyAuditConformance.concurrentApprovalsKeepTheUnion",
      concurrentApprovalsKeepTheUnion(kind:)),
    StoreConformanceCheck(
      "ConsentKeyAuditConformance.signingKeyLifecycle", signingKeyLifecycle(kind:)),
    StoreConformanceCheck(
      "ConsentKeyAuditConformance.concurrentFirstStartsAgreeOnOneActiveKey",
      concurrentFirstStartsAgreeOnOneActiveKey(kind:)),
    StoreConformanceCheck(
      "ConsentKeyAuditConformance.auditAppendQueryAndPrune", auditAppendQueryAndPrune(kind:)),
  ]
}
