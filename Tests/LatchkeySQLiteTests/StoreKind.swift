import Foundation
import LatchkeyCore
import LatchkeySQLite
import LatchkeyTestSupport
import Testing

/// The backends the store conformance suite runs over. Every backend must give the same answers.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
  case memory
  case sqlite

  var testDescription: String { rawValue }

  func makeStore() async throws -> any LatchkeyStore {
    switch self {
    case .memory: InMemoryStore()
    case .sqlite: try SQLiteStore(path: temporaryDatabasePath())
    }
  }
}

let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// A fresh database path in its own directory under the temporary directory.
func temporaryDatabasePath(_ name: String = "latchkey.sqlite") -> String {
  FileManager.default.temporaryDirectory
    .appendingPathComponent("latchkey-tests-\(UUID().uuidString)")
    .appendingPathComponent(name).path
}
