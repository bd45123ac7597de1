import Foundation
import GRDB
import LatchkeyCore

/// What `SQLiteStore.backup(to:)` wrote.
public struct BackupReport: Sendable, Equatable {
  /// The backup file.
  public let path: String
  /// Its size in bytes.
  public let bytes: Int64
  /// The schema version recorded in the copy.
  public let schemaVersion: Int
}

extension SQLiteStore {
  /// Copies the live database to a new file at `destination` with SQLite's online backup API,
  /// while the server keeps serving (readers and the writer are not blocked for the copy's
  /// duration beyond SQLite's own page locking), then checks the copy with
  /// `PRAGMA integrity_check`.
  ///
  /// The copy is created mode 0600 (it holds private signing keys and token hashes) and must not
  /// exist yet. On any failure the partial file is removed.
  /// - Throws: `StoreError.conflict("backup file")` when `destination` exists,
  ///   `StoreError.unavailable` / `.corrupt` when the copy fails or does not check out.
  public func backup(to destination: String) throws -> BackupReport {
    guard !FileManager.default.fileExists(atPath: destination) else {
      throw StoreError.conflict("backup file")
    }
    try DatabaseFile.prepare(path: destination)
    do {
      let copy = try DatabaseQueue(path: destination)
      try pool.backup(to: copy)
      let version = try copy.read { db in
        guard try Self.integrityIsOK(db) else { throw StoreError.corrupt("backup copy") }
        return try MigrationRunner.recordedMigrations(db).map(\.version).max() ?? 0
      }
      try copy.close()
      let attributes = try FileManager.default.attributesOfItem(atPath: destination)
      let bytes = (attributes[.size] as? NSNumber)?.int64Value ?? 0
      return BackupReport(path: destination, bytes: bytes, schemaVersion: version)
    } catch {
      try? FileManager.default.removeItem(atPath: destination)
      throw StoreErrorMapping.map(error, concern: "backup")
    }
  }

  /// `PRAGMA integrity_check` on this database: true when SQLite answers `ok`.
  public func integrityCheck() throws -> Bool {
    try read("integrity check") { try Self.integrityIsOK($0) }
  }

  static func integrityIsOK(_ db: Database) throws -> Bool {
    try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok"
  }
}
