import GRDB
public import LatchkeyCore

extension SQLiteStore {
  /// Inserts or replaces the resource with this URL, scopes included. An UPSERT rather than
  /// INSERT OR REPLACE, which would delete the row first.
  public func upsertResource(_ resource: Resource) async throws {
    try await commit("resource") { db in
      try db.run(
        """
        INSERT INTO resources (url, name, default_scopes, tool_scopes) VALUES (?, ?, ?, ?)
        ON CONFLICT (url) DO UPDATE SET name = excluded.name,
          default_scopes = excluded.default_scopes, tool_scopes = excluded.tool_scopes
        """,
        [
          resource.url, resource.name, resource.defaultScopes.parameter,
          try JSONColumn.encode(resource.toolScopes.mapValues(\.tokens)),
        ])
      try db.run("DELETE FROM resource_scopes WHERE resource_url = ?", [resource.url])
      for (position, scope) in resource.scopes.enumerated() {
        try db.run(
          """
          INSERT INTO resource_scopes (resource_url, position, name, description)
          VALUES (?, ?, ?, ?)
          """, [resource.url, position, scope.name, scope.description])
      }
    }
  }

  /// The resource with this URL, or nil.
  public func resource(url: String) async throws -> Resource? {
    try read("resource") { db in
      try db.row("SELECT * FROM resources WHERE url = ?", [url]) {
        try ResourceRow.decode($0, db)
      }
    }
  }

  /// Every resource, by URL.
  public func resources() async throws -> [Resource] {
    try read("resource") { db in
      try db.rows("SELECT * FROM resources ORDER BY url") { try ResourceRow.decode($0, db) }
    }
  }

  /// Deletes the resource and its scopes; `StoreError.notFound("resource")` when absent.
  /// Grants naming it are kept: they expire or are revoked on their own terms.
  public func deleteResource(url: String) async throws {
    try await commit("resource") { db in
      guard try db.run("DELETE FROM resources WHERE url = ?", [url]) == 1 else {
        throw StoreError.notFound("resource")
      }
    }
  }
}

/// Row mapping of `resources` and `resource_scopes`.
enum ResourceRow {
  /// A resource from its row plus its scope definitions.
  static func decode(_ row: SQLiteColumns, _ db: Database) throws -> Resource {
    let url = try row.text("url")
    let scopes = try db.rows(
      "SELECT name, description FROM resource_scopes WHERE resource_url = ? ORDER BY position",
      [url], ScopeDefinition.init(columns:))
    return try Resource(columns: row, url: url, scopes: scopes)
  }
}
