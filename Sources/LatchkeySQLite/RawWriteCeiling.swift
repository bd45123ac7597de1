import Foundation
import GRDB

/// The best a single-row write transaction can do through GRDB's synchronous `write` with the
/// store's pragmas: the ceiling the store benchmark compares `SQLiteStore` against.
/// `package` so the bench target can run it without depending on GRDB or widening the API.
package enum RawWriteCeiling {
  /// Inserts one row per synchronous IMMEDIATE transaction for about `seconds`; returns
  /// (operations, elapsed seconds). The database at `path` is created and left for the caller
  /// to delete.
  package static func measure(
    path: String, synchronous: SQLiteConfiguration.Synchronous, seconds: Double
  ) throws -> (operations: Int, elapsed: Double) {
    let pool = try DatabasePool(path: path)
    try pool.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
      try db.execute(sql: "CREATE TABLE ceiling (key TEXT PRIMARY KEY, value INTEGER) STRICT")
    }
    let clock = ContinuousClock()
    let start = clock.now
    let limit = Duration.milliseconds(Int(seconds * 1000))
    var operations = 0
    while clock.now - start < limit {
      for _ in 0..<100 {
        try pool.write { db in
          try db.execute(
            sql: "INSERT INTO ceiling (key, value) VALUES (?, ?)",
            arguments: ["k\(operations)", operations])
        }
        operations += 1
      }
    }
    let elapsed = clock.now - start
    return (
      operations, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    )
  }
}
