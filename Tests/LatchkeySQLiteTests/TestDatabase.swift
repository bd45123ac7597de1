import Foundation

let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// A fresh database path in its own temporary directory, which `remove()` deletes.
struct TemporaryDatabase {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("latchkey-tests-\(UUID().uuidString)")
  let path: String

  init(_ name: String = "latchkey.sqlite") {
    path = directory.appendingPathComponent(name).path
  }

  func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// A fresh database path in its own directory under the temporary directory.
func temporaryDatabasePath(_ name: String = "latchkey.sqlite") -> String {
  FileManager.default.temporaryDirectory
    .appendingPathComponent("latchkey-tests-\(UUID().uuidString)")
    .appendingPathComponent(name).path
}
