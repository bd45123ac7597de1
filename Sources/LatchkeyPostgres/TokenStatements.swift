import Foundation
import LatchkeyCore
import PostgresNIO

// The prepared statements of the token endpoint (`PreparedStatement`): what every code
// redemption and refresh sends, plus the single-row writes the same rows take elsewhere.

/// The client with its redirect URIs in order: every token request's first read.
struct ClientByID: PreparedStatement {
  static let sql = """
    SELECT \(ColumnList.client), ARRAY(SELECT uri FROM client_redirect_uris u
      WHERE u.client_id = clients.id ORDER BY position) AS redirect_uri_list
    FROM clients WHERE id = $1
    """
  let binds: PostgresBindings

  init(id: String) { binds = .of { $0.append(id) } }
}

/// The grant of a refresh token, locked as revocation locks it (`FOR NO KEY UPDATE`).
struct GrantOfRefreshTokenForUpdate: PreparedStatement {
  static let sql = """
    SELECT \(ColumnList.grant) FROM grants
    WHERE id = (SELECT grant_id FROM refresh_tokens WHERE token_hash = $1)
    FOR NO KEY UPDATE
    """
  let binds: PostgresBindings

  init(tokenHash: String) { binds = .of { $0.append(tokenHash) } }
}

/// The grant of an authorization code, locked as revocation locks it.
struct GrantOfCodeForUpdate: PreparedStatement {
  static let sql = """
    SELECT \(ColumnList.grant) FROM grants
    WHERE id = (SELECT grant_id FROM authorization_codes WHERE code_hash = $1)
    FOR NO KEY UPDATE
    """
  let binds: PostgresBindings

  init(codeHash: String) { binds = .of { $0.append(codeHash) } }
}

/// A refresh token by hash.
struct RefreshTokenByHash: PreparedStatement {
  static let sql = "SELECT \(ColumnList.refreshToken) FROM refresh_tokens WHERE token_hash = $1"
  let binds: PostgresBindings

  init(hash: String) { binds = .of { $0.append(hash) } }
}

/// A refresh token by hash, locked for its rotation.
struct RefreshTokenByHashForUpdate: PreparedStatement {
  static let sql = """
    SELECT \(ColumnList.refreshToken) FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE
    """
  let binds: PostgresBindings

  init(hash: String) { binds = .of { $0.append(hash) } }
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
    VALUES (\(ColumnList.parameters(from: 1, count: ColumnList.count(ColumnList.refreshToken))))
    """
  let binds: PostgresBindings

  init(_ token: RefreshToken) { binds = .of { $0.append(refreshTokenRow: token) } }
}

/// An audit event; returns its id (from the identity column).
struct InsertAuditEvent: PreparedStatement {
  static let sql = """
    INSERT INTO audit_events (\(ColumnList.auditEvent))
    VALUES (\(ColumnList.parameters(from: 1, count: ColumnList.count(ColumnList.auditEvent))))
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

/// A rotation's writes as one statement of data-modifying CTEs: the successor, the parent's
/// rotation mark and the audit event. Answers `marked` (1 when the mark was set) and
/// `inserted` (2 when both rows were).
struct RotateRefreshToken: PreparedStatement {
  static let sql: String = {
    let token = ColumnList.count(ColumnList.refreshToken)
    let event = ColumnList.count(ColumnList.auditEvent)
    return """
      WITH successor AS (
        INSERT INTO refresh_tokens (\(ColumnList.refreshToken))
        VALUES (\(ColumnList.parameters(from: 1, count: token))) RETURNING 1),
      marked AS (
        UPDATE refresh_tokens SET rotated_at = $\(token + 1), successor_hash = $\(token + 2)
        WHERE token_hash = $\(token + 3) AND rotated_at IS NULL RETURNING 1),
      audited AS (
        INSERT INTO audit_events (\(ColumnList.auditEvent))
        VALUES (\(ColumnList.parameters(from: token + 4, count: event))) RETURNING 1)
      SELECT (SELECT count(*) FROM marked) AS marked, (SELECT count(*) FROM successor)
        + (SELECT count(*) FROM audited) AS inserted
      """
  }()
  let binds: PostgresBindings

  init(successor: RefreshToken, mark: RotationMark, event: AuditEvent) {
    binds = .of {
      $0.append(refreshTokenRow: successor)
      $0.append(rotationMark: mark)
      $0.append(auditEventRow: event)
    }
  }
}

/// A code redemption's writes as one statement: the first refresh token and the audit event.
/// Answers `inserted` (2 when both rows were).
struct IssueFirstRefreshToken: PreparedStatement {
  static let sql: String = {
    let token = ColumnList.count(ColumnList.refreshToken)
    let event = ColumnList.count(ColumnList.auditEvent)
    return """
      WITH first AS (
        INSERT INTO refresh_tokens (\(ColumnList.refreshToken))
        VALUES (\(ColumnList.parameters(from: 1, count: token))) RETURNING 1),
      audited AS (
        INSERT INTO audit_events (\(ColumnList.auditEvent))
        VALUES (\(ColumnList.parameters(from: token + 1, count: event))) RETURNING 1)
      SELECT (SELECT count(*) FROM first) + (SELECT count(*) FROM audited) AS inserted
      """
  }()
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
struct RefreshTokenWithGrant: PreparedStatement {
  static let sql = """
    SELECT \(ColumnList.qualified(ColumnList.refreshToken, table: "t")),
      \(ColumnList.prefixed(ColumnList.grant, table: "g", prefix: "grant_"))
    FROM refresh_tokens t JOIN grants g ON g.id = t.grant_id WHERE t.token_hash = $1
    """
  let binds: PostgresBindings

  init(hash: String) { binds = .of { $0.append(hash) } }
}

/// A rotation decided on rows read without locks, as one statement that writes only if those
/// rows are still as read: the grant unrevoked (share-locked first, so a revocation waits for
/// this statement or is seen), the parent unrotated and unrevoked (its row locked by the mark).
/// The successor and the audit event are inserted only when the mark was set. Answers `marked`
/// (1 when the rotation happened, else 0: nothing written) and `inserted` (2 with a mark).
///
/// Two concurrent rotations of one token: the second's mark waits on the first's row lock, then
/// finds the token rotated and writes nothing; the caller decides again under locks.
struct RotateIfUnchanged: PreparedStatement {
  static let sql: String = {
    let token = ColumnList.count(ColumnList.refreshToken)
    let event = ColumnList.count(ColumnList.auditEvent)
    let grant = token + 3 + event + 1
    return """
      WITH live AS (
        SELECT 1 FROM grants WHERE id = $\(grant) AND revoked_at IS NULL FOR SHARE),
      marked AS (
        UPDATE refresh_tokens SET rotated_at = $\(token + 1), successor_hash = $\(token + 2)
        WHERE token_hash = $\(token + 3) AND rotated_at IS NULL AND revoked_at IS NULL
          AND EXISTS (SELECT 1 FROM live)
        RETURNING 1),
      successor AS (
        INSERT INTO refresh_tokens (\(ColumnList.refreshToken))
        SELECT \(ColumnList.parameters(from: 1, count: token))
        WHERE EXISTS (SELECT 1 FROM marked) RETURNING 1),
      audited AS (
        INSERT INTO audit_events (\(ColumnList.auditEvent))
        SELECT \(ColumnList.parameters(from: token + 4, count: event))
        WHERE EXISTS (SELECT 1 FROM marked) RETURNING 1)
      SELECT (SELECT count(*) FROM marked) AS marked, (SELECT count(*) FROM successor)
        + (SELECT count(*) FROM audited) AS inserted
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
struct CodeWithGrant: PreparedStatement {
  static let sql = """
    SELECT \(ColumnList.qualified(ColumnList.authorizationCode, table: "c")),
      \(ColumnList.prefixed(ColumnList.grant, table: "g", prefix: "grant_"))
    FROM authorization_codes c JOIN grants g ON g.id = c.grant_id WHERE c.code_hash = $1
    """
  let binds: PostgresBindings

  init(hash: String) { binds = .of { $0.append(hash) } }
}

/// A redemption decided on rows read without locks, as one statement: the code consumed only
/// if its grant is still unrevoked (share-locked first, so a revocation waits for this
/// statement or is seen) and the code still unconsumed and unexpired (the conditional UPDATE
/// of `ConsumeCode`); the first refresh token and the audit event inserted only with it.
/// Answers `consumed` (1 when this statement consumed the code, else 0: nothing written) and
/// `inserted` (2 with a consumption).
struct RedeemIfUnchanged: PreparedStatement {
  static let sql: String = {
    let token = ColumnList.count(ColumnList.refreshToken)
    let event = ColumnList.count(ColumnList.auditEvent)
    let time = token + event + 1
    return """
      WITH live AS (
        SELECT 1 FROM grants WHERE id = $\(time + 2) AND revoked_at IS NULL FOR SHARE),
      consumed AS (
        UPDATE authorization_codes SET consumed_at = $\(time)
        WHERE code_hash = $\(time + 1) AND consumed_at IS NULL AND expires_at > $\(time)
          AND EXISTS (SELECT 1 FROM live)
        RETURNING 1),
      first AS (
        INSERT INTO refresh_tokens (\(ColumnList.refreshToken))
        SELECT \(ColumnList.parameters(from: 1, count: token))
        WHERE EXISTS (SELECT 1 FROM consumed) RETURNING 1),
      audited AS (
        INSERT INTO audit_events (\(ColumnList.auditEvent))
        SELECT \(ColumnList.parameters(from: token + 1, count: event))
        WHERE EXISTS (SELECT 1 FROM consumed) RETURNING 1)
      SELECT (SELECT count(*) FROM consumed) AS consumed, (SELECT count(*) FROM first)
        + (SELECT count(*) FROM audited) AS inserted
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
