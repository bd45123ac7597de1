import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import Testing

/// The backends the store conformance suite runs over. Every backend must give the same answers.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
  case memory

  var testDescription: String { rawValue }

  func makeStore() async throws -> any LatchkeyStore {
    switch self {
    case .memory: InMemoryStore()
    }
  }
}

let t0 = Date(timeIntervalSince1970: 1_800_000_000)
