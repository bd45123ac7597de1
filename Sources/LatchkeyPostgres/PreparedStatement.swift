import Foundation
import LatchkeyCore
import PostgresNIO

/// A statement each pooled connection parses and plans once, under its type's name, and then
/// only binds and executes: a named statement of the extended query protocol (PostgreSQL
/// protocol, "Extended Query"), through postgres-nio's `PostgresPreparedStatement`.
///
/// The token endpoint's statements are prepared: an unnamed statement is parsed, analysed and
/// planned again on every request, which was ≈ 45 % of PostgreSQL's CPU per token request in a
/// profile (2026-12-07, docs/benchmark-changes.md). After five executions PostgreSQL keeps a
/// generic plan for each (`plan_cache_mode = auto`).
///
/// Select lists name their columns, never `*`: a prepared statement whose result columns
/// change (a migration adding a column while an older instance still runs) would fail with
/// "cached plan must not change result type" on every later execution.
protocol PreparedStatement: PostgresPreparedStatement where Row == PostgresRow {
  /// The statement's values, in the order of its `$n` parameters.
  var binds: PostgresBindings { get }
}

extension PreparedStatement {
  func makeBindings() -> PostgresBindings { binds }

  func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}

/// The column lists of the rows the prepared statements read and write (names of
/// migrations/postgres/). An INSERT's values are bound in the list's order, by
/// `PostgresBindings.append(refreshTokenRow:)` and `append(auditEventRow:)`.
enum ColumnList {
  /// `refresh_tokens`' columns with their PostgreSQL types, in bind order (the types are for
  /// statements whose parameters have no column to infer one from: `INSERT … SELECT $1, …`).
  static let refreshTokenColumns: [(name: String, type: PostgresDataType)] = [
    ("token_hash", .text), ("grant_id", .text), ("client_id", .text), ("scopes", .text),
    ("resource", .text), ("issued_at", .int8), ("expires_at", .int8), ("parent_hash", .text),
    ("rotated_at", .int8), ("successor_hash", .text), ("revoked_at", .int8),
  ]
  static let refreshToken = refreshTokenColumns.map(\.name).joined(separator: ", ")
  static let refreshTokenTypes = refreshTokenColumns.map(\.type)

  static let grant = """
    id, user_id, client_id, resource, scopes, created_at, expires_at, revoked_at, \
    revocation_reason
    """

  static let authorizationCode = """
    code_hash, grant_id, client_id, user_id, resource, scopes, redirect_uri, \
    redirect_uri_was_explicit, code_challenge, code_challenge_method, issued_at, expires_at, \
    consumed_at
    """

  static let client = """
    id, name, origin, grant_types, token_endpoint_auth_method, application_type, \
    allowed_scopes, secret_hash, software_id, software_version, metadata_fingerprint, \
    client_uri, logo_uri, jwks, jwks_uri, previous_secret_hash, previous_secret_expires_at, \
    created_at, last_used_at
    """

  /// `audit_events`' columns with their types, in bind order; without `id`, which the identity
  /// column assigns.
  static let auditEventColumns: [(name: String, type: PostgresDataType)] = [
    ("time", .int8), ("type", .text), ("outcome", .text), ("user_id", .text),
    ("client_id", .text), ("resource", .text), ("scopes", .text), ("source_address", .text),
    ("detail", .text),
  ]
  static let auditEvent = auditEventColumns.map(\.name).joined(separator: ", ")
  static let auditEventTypes = auditEventColumns.map(\.type)

  /// `list`'s columns of table alias `table`, each renamed `prefix` + its name: the second
  /// table of a join, read back with `PostgresColumns.prefixed(prefix)`.
  static func prefixed(_ list: String, table: String, prefix: String) -> String {
    names(list).map { "\(table).\($0) AS \(prefix)\($0)" }.joined(separator: ", ")
  }

  /// `list`'s columns of table alias `table`.
  static func qualified(_ list: String, table: String) -> String {
    names(list).map { "\(table).\($0)" }.joined(separator: ", ")
  }

  /// The column names of a list.
  static func names(_ list: String) -> [String] {
    list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
  }

  /// `$first, …`: one parameter for each column of `list`.
  static func parameters(for list: String, from first: Int) -> String {
    parameters(from: first, count: count(list))
  }

  /// `$first, $first+1, …`: `count` parameters.
  static func parameters(from first: Int, count: Int) -> String {
    (first..<(first + count)).map { "$\($0)" }.joined(separator: ", ")
  }

  /// How many columns a list names.
  static func count(_ list: String) -> Int {
    names(list).count
  }
}

extension PostgresBindings {
  /// A `refresh_tokens` row's values, in `ColumnList.refreshToken`'s order.
  mutating func append(refreshTokenRow token: RefreshToken) {
    append(token.tokenHash)
    append(token.grantID)
    append(token.clientID)
    append(token.scopes.parameter)
    append(token.resource)
    append(token.issuedAt.millis)
    append(token.expiresAt.millis)
    append(token.parentHash)
    append(token.rotatedAt?.millis)
    append(token.successorHash)
    append(token.revokedAt?.millis)
  }

  /// An `audit_events` row's values, in `ColumnList.auditEvent`'s order.
  mutating func append(auditEventRow event: AuditEvent) {
    append(event.time.millis)
    append(event.type)
    append(event.outcome.rawValue)
    append(event.userID)
    append(event.clientID)
    append(event.resource)
    append(event.scopes?.parameter)
    append(event.sourceAddress)
    append(event.detail)
  }

  /// A rotation mark's values: `rotated_at`, `successor_hash`, then the marked `token_hash`.
  mutating func append(rotationMark mark: RotationMark) {
    append(mark.rotatedAt.millis)
    append(mark.successorHash)
    append(mark.tokenHash)
  }

  /// The bindings of one or more values built by `build`.
  static func of(_ build: (inout PostgresBindings) -> Void) -> PostgresBindings {
    var bindings = PostgresBindings()
    build(&bindings)
    return bindings
  }
}
