import Foundation
import LatchkeyCore
import LatchkeyTestSupport
import NIOCore
import Testing

@testable import LatchkeyPostgres

/// The token endpoint's prepared statements (`PreparedStatement`): parameters and binds agree,
/// a column added by a newer migration does not break a running instance, and a transaction
/// runs on its connection's event loop.
@Suite("PostgreSQL prepared statements")
struct PostgresPreparedStatementTests {
  static let server = PostgresTestServer.configuration != nil

  /// The highest `$n` of a statement's SQL.
  static func highestParameter(_ sql: String) -> Int {
    var highest = 0
    var rest = Substring(sql)
    while let dollar = rest.firstIndex(of: "$") {
      rest = rest[rest.index(after: dollar)...]
      let digits = rest.prefix(while: \.isNumber)
      highest = max(highest, Int(digits) ?? 0)
    }
    return highest
  }

  static func parameters<S: PreparedStatement>(_ statement: S) -> (sql: Int, binds: Int) {
    (highestParameter(S.sql), statement.binds.count)
  }

  @Test func everyStatementBindsAValueForEachParameter() {
    let grant = Fixtures.grant(userID: "u", clientID: "c", at: t0)
    let token = Fixtures.refreshToken(for: grant, at: t0)
    let mark = RotationMark(tokenHash: "p", rotatedAt: t0, successorHash: token.tokenHash)
    let event = AuditEvent(time: t0, type: "t", outcome: .success)
    let counts = [
      Self.parameters(ClientByID(key: "c")),
      Self.parameters(GrantOfRefreshTokenForUpdate(key: "h")),
      Self.parameters(GrantOfCodeForUpdate(key: "h")),
      Self.parameters(RefreshTokenByHash(key: "h")),
      Self.parameters(RefreshTokenByHashForUpdate(key: "h")),
      Self.parameters(ConsumeCode(hash: "h", at: t0)),
      Self.parameters(InsertRefreshToken(token)),
      Self.parameters(InsertAuditEvent(event)),
      Self.parameters(MarkRotated(mark)),
      Self.parameters(IssueFirstRefreshToken(token, event: event)),
      Self.parameters(Begin()), Self.parameters(Commit()),
      Self.parameters(RefreshTokenWithGrant(key: "h")), Self.parameters(CodeWithGrant(key: "h")),
      Self.parameters(
        RotateIfUnchanged(successor: token, mark: mark, event: event, grantID: "g")),
      Self.parameters(
        RedeemIfUnchanged(
          codeHash: "h", at: t0, grantID: "g", firstToken: token, event: event)),
    ]
    for (sql, binds) in counts { #expect(sql == binds) }
    #expect(
      Self.parameters(
        RotateIfUnchanged(successor: token, mark: mark, event: event, grantID: "g")
      ).binds == 24)
    #expect(RotateIfUnchanged.bindingDataTypes.count == 24)
    #expect(IssueFirstRefreshToken.bindingDataTypes.count == 20)
    #expect(RedeemIfUnchanged.bindingDataTypes.count == 23)
    #expect(ColumnList.refreshTokenTypes.count == ColumnList.count(ColumnList.refreshToken))
    #expect(ColumnList.auditEventTypes.count == ColumnList.count(ColumnList.auditEvent))
    #expect(ColumnList.count(ColumnList.refreshToken) == 11)
    #expect(ColumnList.count(ColumnList.auditEvent) == 9)
  }

  @Test func selectListsNameTheirColumns() {
    for sql in [
      ClientByID.sql, GrantOfRefreshTokenForUpdate.sql, GrantOfCodeForUpdate.sql,
      RefreshTokenByHash.sql, RefreshTokenByHashForUpdate.sql, ConsumeCode.sql,
      RefreshTokenWithGrant.sql, CodeWithGrant.sql,
    ] {
      #expect(!sql.contains("*"), "\(sql.prefix(40))")
    }
  }

  /// A newer Latchkey's migration adds a column to each token table while this instance runs
  /// with its statements prepared: a prepared `SELECT *` would fail from then on ("cached plan
  /// must not change result type").
  @Test(.enabled(if: server)) func aColumnAddedWhileRunningBreaksNoPreparedStatement()
    async throws
  {
    var configuration = try await PostgresTestServer.freshDatabase()
    configuration.poolSize = 1  // one connection: the one that prepared every statement
    configuration.minimumConnections = 0
    let store = try await PostgresStore(configuration: configuration)
    defer { store.close() }
    try await store.insertUser(Fixtures.user(id: "u1", at: t0))
    try await store.insertClient(Fixtures.client(id: "c1", at: t0))
    let first = try await Self.redeemAndRotate(store)
    for table in ["clients", "grants", "authorization_codes", "refresh_tokens", "audit_events"] {
      try await store.executeRaw("ALTER TABLE \(table) ADD COLUMN added_later TEXT")
    }
    let second = try await Self.redeemAndRotate(store)
    #expect(first.rotated != second.rotated)
  }

  /// Redeems a fresh code and rotates its refresh token, reading the client, each token and the
  /// audit events back: every prepared statement of the token endpoint runs once.
  static func redeemAndRotate(_ store: PostgresStore) async throws -> (
    first: String, rotated: String
  ) {
    #expect(try await store.client(id: "c1")?.id == "c1")
    let grant = Fixtures.grant(userID: "u1", clientID: "c1", at: t0)
    let code = Fixtures.code(for: grant, at: t0)
    try await store.issueCode(code, grant: grant)
    let firstHash = Fixtures.randomHash()
    let redeemed = try await store.redeemCode(hash: code.codeHash, at: t0) { code, grant in
      .issue(
        refreshToken: Fixtures.refreshToken(hash: firstHash, for: grant, at: t0),
        event: AuditEvent(time: t0, type: "redeemed", outcome: .success, clientID: "c1"))
    }
    guard case .redeemed = redeemed else {
      Issue.record("expected a redemption, got \(redeemed)")
      return (firstHash, "")
    }
    let nextHash = Fixtures.randomHash()
    let rotated = try await store.rotateRefreshToken(
      hash: firstHash, at: t0.addingTimeInterval(1), graceWindow: 0
    ) { parent, grant in
      let successor = Fixtures.refreshToken(
        hash: nextHash, for: grant, at: t0.addingTimeInterval(1), parentHash: parent.tokenHash)
      return .rotate(
        RefreshRotationWrites(
          successor: successor, accessScopes: successor.scopes,
          event: AuditEvent(time: t0, type: "rotated", outcome: .success, clientID: "c1")))
    }
    guard case .rotated = rotated else {
      Issue.record("expected a rotation, got \(rotated)")
      return (firstHash, nextHash)
    }
    #expect(try await store.refreshToken(hash: firstHash)?.successorHash == nextHash)
    #expect(try await store.refreshToken(hash: nextHash)?.parentHash == firstHash)
    let extra = Fixtures.refreshToken(for: grant, at: t0)
    #expect(try await store.issueRefreshToken(extra) == .issued)
    try await store.appendAudit(AuditEvent(time: t0, type: "appended", outcome: .success))
    #expect(try await store.auditEvents(matching: AuditQuery(limit: 100)).count >= 3)
    return (firstHash, nextHash)
  }

  /// The store's statements are sent and answered on the connection's event loop, with no
  /// thread hop between them (`EventLoopTaskExecutor`).
  @Test(.enabled(if: server)) func aTransactionRunsOnItsConnectionsEventLoop() async throws {
    let store = try await PostgresTestServer.makeStore()
    defer { store.close() }
    let onLoop = try await store.transaction("test") { db in
      let before = db.connection.eventLoop.inEventLoop
      try await db.run(Begin())  // a nested BEGIN only warns
      return before && db.connection.eventLoop.inEventLoop
    }
    #expect(onLoop)
  }
}
