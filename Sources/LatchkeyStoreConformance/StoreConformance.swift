import Foundation
public import Testing

/// One check of the store conformance suite: a named async function of a `StoreFactory` that
/// records its failures with swift-testing's `#expect` / `#require`.
public struct StoreConformanceCheck: Sendable, CustomTestStringConvertible {
  /// `Area.check`, e.g. `TokenConformance.replayOutsideTheGraceWindowRevokesTheWholeFamily`.
  public let name: String
  private let body: @Sendable (StoreFactory) async throws -> Void

  init(_ name: String, _ body: @escaping @Sendable (StoreFactory) async throws -> Void) {
    self.name = name
    self.body = body
  }

  /// Runs the check against fresh stores from `factory`.
  public func run(on factory: StoreFactory) async throws { try await body(factory) }

  public var testDescription: String { name }
}

/// The store conformance suite: what every backend of the `LatchkeyCore` store protocols must
/// answer, run by Latchkey over the in-memory store, SQLite and PostgreSQL
/// (`LatchkeyStoreConformanceTests`). A third-party store proves itself with one test:
///
/// ```swift
/// @Test(arguments: StoreConformance.checks)
/// func conformance(_ check: StoreConformanceCheck) async throws {
///   try await check.run(on: StoreFactory(name: "mine") { try await MyStore.fresh() })
/// }
/// ```
public enum StoreConformance {
  /// Every check, grouped by area.
  public static let checks: [StoreConformanceCheck] =
    TokenConformance.checks + RedeemCodeConformance.checks
    + AuditInTransactionConformance.checks + ClientUserResourceConformance.checks
    + ConsentKeyAuditConformance.checks + EphemeralStateConformance.checks
    + NULKeyConformance.checks + APIKeyConformance.checks + UserIdentityConformance.checks
    + UpstreamTokenConformance.checks
}

/// The suite's reference time (2027-01-15T08:00:00Z).
let t0 = Date(timeIntervalSince1970: 1_800_000_000)
