import Foundation

/// The SQL migrations in the repository (`migrations/NNNN_name.sql` for SQLite,
/// `migrations/postgres/` for PostgreSQL), read from disk so tests compare the stores with the
/// source of truth instead of with a copied list of versions.
public enum RepositoryMigrations {
  /// `(version, name)` of every SQLite migration, in order.
  public static var sqlite: [(version: Int, name: String)] { list("migrations") }
  /// `(version, name)` of every PostgreSQL migration, in order.
  public static var postgres: [(version: Int, name: String)] { list("migrations/postgres") }

  static func list(_ folder: String) -> [(version: Int, name: String)] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let directory = root.appendingPathComponent(folder).path
    let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return files.filter { $0.hasSuffix(".sql") }.sorted().compactMap { file in
      let stem = file.dropLast(4)
      guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore])
      else { return nil }
      return (version, String(stem[stem.index(after: underscore)...]))
    }
  }
}
