import Foundation
import LatchkeyCore
import PostgresNIO

// The prepared statements of the token endpoint (`PreparedStatement`): what every code
// redemption and refresh sends, plus the single-row writes the same rows take elsewhere.

/// A statement whose only parameter (`$1`) is a key: an id or a hash.
protocol KeyedStatement: PreparedStatement {
  init(binds: PostgresBindings)
}

extension KeyedStatement {
  init(key: String) { self.init(binds: .of { $0.append(key) }) }
}

/// The client with its redirect URIs in order: every token request's first read.
struct ClientByID: KeyedStatement {
  static let sql = """
    SELECT \(ColumnList.client), ARRAY(SELECT uri FROM client_redirect_uris u
      WHERE u.client_id = clients.id ORDER BY position) AS redirect_uri_list
    FROM clients WHERE id = $1
    """
  let binds: PostgresBindings
}

/// The grant of a refresh token, locked as revocation locks it (`FOR NO KEY UPDATE`).
struct GrantOfRefreshTokenForUpdate: KeyedStatement {
  static let sql = """
    SELECT \(ColumnList.grant) FROM grants
    WHERE id = (SELECT grant_id FROM refresh_tokens WHERE token_hash = $1)
    FOR NO KEY UPDATE
    """
  let binds: PostgresBindings
}

/// The grant of an authorization code, locked as revocation locks it.
struct GrantOfCodeForUpdate: KeyedStatement {
  static let sql = """
    SELECT \(ColumnList.grant) FROM grants
    WHERE id = (SELECT grant_id FROM authorization_codes WHERE code_hash = $1)
    FOR NO KEY UPDATE
    """
  let binds: PostgresBindings
}

/// A refresh token by hash.
struct RefreshTokenByHash: KeyedStatement {
  static let sql = "SELECT \(ColumnList.refreshToken) FROM refresh_tokens WHERE token_hash = $1"
  let binds: PostgresBindings
}

/// A refresh token by hash, locked for its rotation.
struct RefreshTokenByHashForUpdate: KeyedStatement {
  static let sql = """
    SELECT \(ColumnList.refreshToken) FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE
    """
  let binds: PostgresBindings
}

/// The conditional consumption of a code: its row when this statement consumed it, else none.
struct ConsumeCode: PreparedStatement {
  static let sql = """
    UPDATE authorization_codes SET consumed_at = $1
    WHERE code_hash = $2 AND consumed_at IS NULL AND expires_at > $1
    RETURNING \(ColumnList.authorizationCode)
    """
  let binds: PostgresBindings

  init(hash: String, at time: Date) {
    binds = .of {
      $0.append(time.millis)
      $0.append(hash)
    }
  }
}

/// A refresh token inserted alone.
struct InsertRefreshToken: PreparedStatement {
  static let sql = """
    INSERT INTO refresh_tokens (\(ColumnList.refreshToken))
    VALUES (\(ColumnList.parameters(for: ColumnList.refreshToken, from: 1)))
    """
  let binds: PostgresBindings

  init(_ token: RefreshToken) { binds = .of { $0.append(refreshTokenRow: token) } }
}

/// An audit event; returns its id (from the identity column).
struct InsertAuditEvent: PreparedStatement {
  static let sql = """
    INSERT INTO audit_events (\(ColumnList.auditEvent))
    VALUES (\(ColumnList.parameters(for: ColumnList.auditEvent, from: 1)))
    RETURNING id
    """
  let binds: PostgresBindings

  init(_ event: AuditEvent) { binds = .of { $0.append(auditEventRow: event) } }
}

/// Marks a token rotated, guarded by `rotated_at IS NULL` (a token is rotated once); returns
/// a row when it did.
struct MarkRotated: PreparedStatement {
  static let sql = """
    UPDATE refresh_tokens SET rotated_at = $1, successor_hash = $2
    WHERE token_hash = $3 AND rotated_at IS NULL RETURNING 1
    """
  let binds: PostgresBindings

  init(_ mark: RotationMark) { binds = .of { $0.append(rotationMark: mark) } }
}

/// A code redemption's writes inside the locked transaction, as one statement: the first
/// refresh token and the audit event. Answers `inserted` (2 when both rows were).
struct IssueFirstRefreshToken: PreparedStatement {
  static let sql: String = {
    let token = ColumnList.count(ColumnList.refreshToken)
    return "WITH \(GatedWrite.inserts(gate: nil, tokenFrom: 1, eventFrom: token + 1))"
  }()
  /// `INSERT … SELECT $n` gives the parameters no column to take their type from.
  static let bindingDataTypes = ColumnList.refreshTokenTypes + ColumnList.auditEventTypes
  let binds: PostgresBindings

  init(_ token: RefreshToken, event: AuditEvent) {
    binds = .of {
      $0.append(refreshTokenRow: token)
      $0.append(auditEventRow: event)
    }
  }
}

/// BEGIN, prepared like the statements it brackets.
struct Begin: PreparedStatement {
  static let sql = "BEGIN"
  let binds = PostgresBindings()
}

/// COMMIT (which ends an aborted transaction with a rollback).
struct Commit: PreparedStatement {
  static let sql = "COMMIT"
  let binds = PostgresBindings()
}

/// A refresh token with its grant (columns `grant_…`), read without locks: what a rotation
/// decides on when nothing changes underneath (`RotateIfUnchanged`).
struct RefreshTokenWithGrant: KeyedStatement {
  static let sql = GatedWrite.readWithGrant(
    ColumnList.refreshToken, from: "refresh_tokens", key: "token_hash")
  let binds: PostgresBindings
}

/// A rotation decided on rows read without locks, as one statement that writes only if those
/// rows are still as read: the grant unrevoked (share-locked first, so a revocation waits for
/// this statement or is seen), the parent unrotated and unrevoked (its row locked by the mark).
/// The successor and the audit event are inserted only when the mark was set. Answers `marked`
/// (1 when the rotation happened, else 0: nothing written) and `inserted` (2 with a mark).
///
/// Two concurrent rotations of one token: the second's mark waits on the first's row lock, then
/// finds the token rotated and writes nothing; the caller decides again under locks.
struct RotateIfUnchanged: GatedStatement {
  static let gate = "marked"
  static let concern = "refresh token rotation"
  static let sql: String = {
    let token = ColumnList.count(ColumnList.refreshToken)
    let event = ColumnList.count(ColumnList.auditEvent)
    return """
      WITH \(GatedWrite.liveGrant(parameter: token + 3 + event + 1)),
      marked AS (
        UPDATE refresh_tokens SET rotated_at = $\(token + 1), successor_hash = $\(token + 2)
        WHERE token_hash = $\(token + 3) AND rotated_at IS NULL AND revoked_at IS NULL
          AND EXISTS (SELECT 1 FROM live)
        RETURNING 1),
      \(GatedWrite.inserts(gate: gate, tokenFrom: 1, eventFrom: token + 4))
      """
  }()
  /// `INSERT … SELECT $n` gives the parameters no column to take their type from.
  static let bindingDataTypes =
    ColumnList.refreshTokenTypes + [.int8, .text, .text] + ColumnList.auditEventTypes + [.text]
  let binds: PostgresBindings

  init(successor: RefreshToken, mark: RotationMark, event: AuditEvent, grantID: String) {
    binds = .of {
      $0.append(refreshTokenRow: successor)
      $0.append(rotationMark: mark)
      $0.append(auditEventRow: event)
      $0.append(grantID)
    }
  }
}

/// An authorization code with its grant (columns `grant_…`), read without locks: what a
/// redemption decides on when nothing changes underneath (`RedeemIfUnchanged`).
struct CodeWithGrant: KeyedStatement {
  static let sql = GatedWrite.readWithGrant(
    ColumnList.authorizationCode, from: "authorization_codes", key: "code_hash")
  let binds: PostgresBindings
}

/// A redemption decided on rows read without locks, as one statement: the code consumed only
/// if its grant is still unrevoked (share-locked first, so a revocation waits for this
/// statement or is seen) and the code still unconsumed and unexpired (the conditional UPDATE
/// of `ConsumeCode`); the first refresh token and the audit event inserted only with it.
/// Answers `consumed` (1 when this statement consumed the code, else 0: nothing written) and
/// `inserted` (2 with a consumption).
struct RedeemIfUnchanged: GatedStatement {
  static let gate = "consumed"
  static let concern = "refresh token issuance"
  static let sql: String = {
    let time =
      ColumnList.count(ColumnList.refreshToken) + ColumnList.count(ColumnList.auditEvent) + 1
    return """
      WITH \(GatedWrite.liveGrant(parameter: time + 2)),
      consumed AS (
        UPDATE authorization_codes SET consumed_at = $\(time)
        WHERE code_hash = $\(time + 1) AND consumed_at IS NULL AND expires_at > $\(time)
          AND EXISTS (SELECT 1 FROM live)
        RETURNING 1),
      \(GatedWrite.inserts(
        gate: gate, tokenFrom: 1, eventFrom: ColumnList.count(ColumnList.refreshToken) + 1))
      """
  }()
  /// `INSERT … SELECT $n` gives the parameters no column to take their type from.
  static let bindingDataTypes =
    ColumnList.refreshTokenTypes + ColumnList.auditEventTypes + [.int8, .text, .text]
  let binds: PostgresBindings

  init(
    codeHash: String, at time: Date, grantID: String, firstToken: RefreshToken,
    event: AuditEvent
  ) {
    binds = .of {
      $0.append(refreshTokenRow: firstToken)
      $0.append(auditEventRow: event)
      $0.append(time.millis)
      $0.append(codeHash)
      $0.append(grantID)
    }
  }
}

/// The SQL the two conditional writes (`RotateIfUnchanged`, `RedeemIfUnchanged`) and their
/// reads share.
enum GatedWrite {
  /// A row of `table` by `key` = `$1` with its grant's columns renamed `grant_…`, read without
  /// locks.
  static func readWithGrant(_ columns: String, from table: String, key: String) -> String {
    """
    SELECT \(ColumnList.qualified(columns, table: "r")),
      \(ColumnList.prefixed(ColumnList.grant, table: "g", prefix: "grant_"))
    FROM \(table) r JOIN grants g ON g.id = r.grant_id WHERE r.\(key) = $1
    """
  }

  /// The CTE `live`: a row when the grant `$parameter` is unrevoked, share-locked (a
  /// revocation in progress is waited for, then seen; a later one waits for this statement).
  static func liveGrant(parameter: Int) -> String {
    "live AS (SELECT 1 FROM grants WHERE id = $\(parameter) AND revoked_at IS NULL FOR SHARE)"
  }

  /// The refresh token (`$tokenFrom…`) and the audit event (`$eventFrom…`) inserted, only when
  /// the CTE `gate` returned a row if there is one, and the statement's answer: `<gate>` (its
  /// rows) and `inserted` (both rows: 2).
  static func inserts(gate: String?, tokenFrom: Int, eventFrom: Int) -> String {
    let condition = gate.map { " WHERE EXISTS (SELECT 1 FROM \($0))" } ?? ""
    let gateCount = gate.map { "(SELECT count(*) FROM \($0)) AS \($0), " } ?? ""
    return """
      token AS (
        INSERT INTO refresh_tokens (\(ColumnList.refreshToken))
        SELECT \(ColumnList.parameters(for: ColumnList.refreshToken, from: tokenFrom))\(condition)
        RETURNING 1),
      audited AS (
        INSERT INTO audit_events (\(ColumnList.auditEvent))
        SELECT \(ColumnList.parameters(for: ColumnList.auditEvent, from: eventFrom))\(condition)
        RETURNING 1)
      SELECT \(gateCount)(SELECT count(*) FROM token) + (SELECT count(*) FROM audited) AS inserted
      """
  }
}

/// A statement built on `GatedWrite.inserts` with a gate: it writes only when its gate (a CTE
/// named `gate`) returned a row.
protocol GatedStatement: PreparedStatement {
  static var gate: String { get }
  /// What a gate that passed without both rows inserted is reported as (`StoreError.corrupt`).
  static var concern: String { get }
}

extension PostgresSession {
  /// Runs a gated write: true when its gate passed and both rows were inserted, false when it
  /// wrote nothing.
  func writeIfGatePasses<S: GatedStatement>(_ statement: S) async throws -> Bool {
    guard let answer = try await write(statement), try answer.int64(S.gate) == 1 else {
      return false
    }
    guard try answer.int64("inserted") == 2 else { throw StoreError.corrupt(S.concern) }
    return true
  }
}
