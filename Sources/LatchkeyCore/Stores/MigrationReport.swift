public import Foundation

/// A migration recorded as applied in the `schema_migrations` table.
public struct MigrationRecord: Sendable, Equatable {
  public var version: Int
  public var name: String
  public var appliedAt: Date

  public init(version: Int, name: String, appliedAt: Date) {
    self.version = version
    self.name = name
    self.appliedAt = appliedAt
  }
}

/// What a migration run did.
public struct MigrationReport: Sendable, Equatable {
  /// Migrations this run applied, oldest first; empty when the schema was already current.
  public var applied: [MigrationRecord]
  /// Every migration recorded after the run, oldest first.
  public var recorded: [MigrationRecord]
  /// The newest schema version this binary embeds.
  public var supportedVersion: Int

  public init(applied: [MigrationRecord], recorded: [MigrationRecord], supportedVersion: Int) {
    self.applied = applied
    self.recorded = recorded
    self.supportedVersion = supportedVersion
  }

  /// The schema version of the database after the run (0 when empty).
  public var currentVersion: Int { recorded.last?.version ?? 0 }
}
