public import LatchkeyCore
import PostgresNIO

extension PostgresStore {
  /// Inserts or replaces the resource with this URL, scopes included. Two instances starting
  /// at once with the same configuration upsert the same rows; the row lock of the UPSERT
  /// serializes them.
  public func upsertResource(_ resource: Resource) async throws {
    try await transaction("resource") { db in
      try await db.run(
        """
        INSERT INTO resources (url, name, default_scopes, tool_scopes)
        VALUES (\(resource.url), \(resource.name), \(resource.defaultScopes.parameter),
          \(try JSONColumn.encode(resource.toolScopes.mapValues(\.tokens))))
        ON CONFLICT (url) DO UPDATE SET name = excluded.name,
          default_scopes = excluded.default_scopes, tool_scopes = excluded.tool_scopes
        """)
      try await db.run("DELETE FROM resource_scopes WHERE resource_url = \(resource.url)")
      for (position, scope) in resource.scopes.enumerated() {
        try await db.run(
          """
          INSERT INTO resource_scopes (resource_url, position, name, description)
          VALUES (\(resource.url), \(position), \(scope.name), \(scope.description))
          """)
      }
    }
  }

  /// The resource with this URL, or nil.
  public func resource(url: String) async throws -> Resource? {
    try await transaction("resource") { db in
      guard let row = try await db.row("SELECT * FROM resources WHERE url = \(url)") else {
        return nil
      }
      return try await ResourceRow.decode(row, db)
    }
  }

  /// Every resource, by URL.
  public func resources() async throws -> [Resource] {
    try await transaction("resource") { db in
      var result: [Resource] = []
      for row in try await db.rows("SELECT * FROM resources ORDER BY url COLLATE \"C\"") {
        result.append(try await ResourceRow.decode(row, db))
      }
      return result
    }
  }

  /// Deletes the resource and its scopes; `StoreError.notFound("resource")` when absent.
  public func deleteResource(url: String) async throws {
    try await transaction("resource") { db in
      guard try await db.run("DELETE FROM resources WHERE url = \(url) RETURNING url") == 1 else {
        throw StoreError.notFound("resource")
      }
    }
  }
}

/// Row mapping of `resources` and `resource_scopes`.
enum ResourceRow {
  static func decode(_ row: PostgresColumns, _ db: PostgresSession) async throws
    -> Resource
  {
    let url = try row.text("url")
    let scopes = try await db.rows(
      """
      SELECT name, description FROM resource_scopes WHERE resource_url = \(url)
      ORDER BY position
      """
    ).map(ScopeDefinition.init(columns:))
    return try Resource(columns: row, url: url, scopes: scopes)
  }
}
