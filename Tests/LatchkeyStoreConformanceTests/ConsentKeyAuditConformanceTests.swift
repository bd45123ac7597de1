import LatchkeyStoreConformance
import Testing

@Suite("Store conformance: consent, signing keys, audit")
struct ConsentKeyAuditConformanceTests {
  @Test(arguments: StoreKind.allCases)
  func consentIsRememberedAndIncremental(kind: StoreKind) async throws {
    try await ConsentKeyAuditConformance.consentIsRememberedAndIncremental(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func concurrentApprovalsKeepTheUnion(kind: StoreKind) async throws {
    try await ConsentKeyAuditConformance.concurrentApprovalsKeepTheUnion(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func signingKeyLifecycle(kind: StoreKind) async throws {
    try await ConsentKeyAuditConformance.signingKeyLifecycle(kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func concurrentFirstStartsAgreeOnOneActiveKey(kind: StoreKind) async throws {
    try await ConsentKeyAuditConformance.concurrentFirstStartsAgreeOnOneActiveKey(
      kind: kind.factory)
  }

  @Test(arguments: StoreKind.allCases)
  func auditAppendQueryAndPrune(kind: StoreKind) async throws {
    try await ConsentKeyAuditConformance.auditAppendQueryAndPrune(kind: kind.factory)
  }
}
