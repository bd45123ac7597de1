public import Foundation
public import LatchkeyCore
import PostgresNIO

extension PostgresStore {
  /// Stores the token if its grant is live at `token.issuedAt`. The grant row is share-locked,
  /// so a concurrent revocation waits for this insert and then revokes the new token too.
  public func issueRefreshToken(_ token: RefreshToken) async throws -> RefreshTokenIssuance {
    try await transaction("token") { db in
      guard let grant = try await GrantRow.fetch(id: token.grantID, lock: "FOR SHARE", db),
        grant.isLive(at: token.issuedAt)
      else { return .grantNotLive }
      try await RefreshTokenRow.insert(token, db)
      return .issued
    }
  }

  /// Rotates the token inside one transaction that first locks its grant (`FOR NO KEY
  /// UPDATE`, the lock revocation takes) and then the token row (`FOR UPDATE`): concurrent
  /// rotations of one family, on any instance, run one after the other, each deciding with
  /// `RefreshRotationRule` on rows nobody else can change until it commits, and executes the
  /// rule's write plan (`TokenWrites.execute`). A plan that refuses changes nothing.
  public func rotateRefreshToken(
    hash: String, at time: Date, graceWindow: TimeInterval,
    plan: @escaping @Sendable (RefreshToken, Grant) -> RefreshRotationPlan
  ) async throws -> RefreshRotation {
    // The plan runs inside the transaction; the loan ends before this method returns, even
    // when the deadline answered first and the transaction is still winding down.
    let builder = BorrowedBuilder<(RefreshToken, Grant), RefreshRotationPlan> { plan($0.0, $0.1) }
    defer { builder.revoke() }
    if let answer = try await rotateIfUnchanged(
      hash: hash, at: time, graceWindow: graceWindow, planning: builder)
    {
      return answer
    }
    return try await rotateRefreshToken(
      hash: hash, at: time, graceWindow: graceWindow, planning: builder)
  }

  /// The common case in two statements and no BEGIN/COMMIT: the token and its grant read
  /// without locks, `RefreshRotationRule` applied, and a rotation written by one statement
  /// that first checks the rows are still as read (`RotateIfUnchanged`). Linearizable: an
  /// answer that writes nothing (a refusal, an unknown token) is that of a request ordered at
  /// its read; a rotation takes effect at its statement, whose conditions are those the rule
  /// decided on. Nil leaves the decision to the locked transaction: a token already rotated (a
  /// retry within the grace window or a reuse, decided with its successor), a plan that
  /// writes anything else, or rows that changed between the two statements.
  private func rotateIfUnchanged(
    hash: String, at time: Date, graceWindow: TimeInterval,
    planning plan: BorrowedBuilder<(RefreshToken, Grant), RefreshRotationPlan>
  ) async throws -> RefreshRotation? {
    let read = try await transaction("token", explicit: false) { db in
      try await db.row(RefreshTokenWithGrant(key: hash))
    }
    guard let read else { return .refused(.notFound) }
    let parent = try RefreshToken(columns: read)
    let grant = try Grant(columns: read.prefixed("grant_"))
    guard parent.rotatedAt == nil else { return nil }
    let rotation = try RefreshRotationRule.plan(
      parent: parent, grant: grant, successor: nil, now: time, graceWindow: graceWindow
    ) { try plan(($0, $1)) }
    if rotation.writes == .none { return rotation.answer }
    guard rotation.writes.revokeFamily == nil, let successor = rotation.writes.insertRefreshToken,
      let mark = rotation.writes.markRotated, let event = rotation.writes.appendAudit
    else { return nil }
    let rotated = try await transaction("token", explicit: false) { db in
      try await db.writeIfGatePasses(
        RotateIfUnchanged(successor: successor, mark: mark, event: event, grantID: grant.id))
    }
    return rotated ? rotation.answer : nil
  }

  private func rotateRefreshToken(
    hash: String, at time: Date, graceWindow: TimeInterval,
    planning plan: BorrowedBuilder<(RefreshToken, Grant), RefreshRotationPlan>
  ) async throws -> RefreshRotation {
    try await transaction("token") { db in
      // The token's grant, found and locked by one statement (one round trip less than
      // reading the grant id first); then the token itself.
      let grant = try await db.row(GrantOfRefreshTokenForUpdate(key: hash))
        .map { try Grant(columns: $0) }
      let parent = try await db.row(RefreshTokenByHashForUpdate(key: hash))
        .map { try RefreshToken(columns: $0) }
      guard grant != nil || parent != nil else { return .refused(.notFound) }
      let successor = try await parent?.successorHash.asyncFlatMap {
        try await RefreshTokenRow.fetch(hash: $0, db)
      }
      let rotation = try RefreshRotationRule.plan(
        parent: parent, grant: grant, successor: successor, now: time, graceWindow: graceWindow
      ) { try plan(($0, $1)) }
      try await rotation.writes.execute(db)
      return rotation.answer
    }
  }

  /// The token with this hash, or nil.
  public func refreshToken(hash: String) async throws -> RefreshToken? {
    try await transaction("token") { db in try await RefreshTokenRow.fetch(hash: hash, db) }
  }

  /// Deletes tokens whose expiry is before `time`; returns how many.
  public func deleteExpiredRefreshTokens(before time: Date) async throws -> Int {
    try await transaction("token") { db in
      try await db.run("DELETE FROM refresh_tokens WHERE expires_at < \(time.millis) RETURNING 1")
    }
  }
}

extension Optional {
  /// `flatMap` with an async transform.
  func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
    guard let value = self else { return nil }
    return try await transform(value)
  }
}

/// Row mapping of `refresh_tokens`.
enum RefreshTokenRow {
  static func insert(_ token: RefreshToken, _ db: PostgresSession) async throws {
    try await db.run(InsertRefreshToken(token))
  }

  /// The token with this hash, or nil.
  static func fetch(hash: String, _ db: PostgresSession) async throws -> RefreshToken? {
    try await db.row(RefreshTokenByHash(key: hash)).map { try RefreshToken(columns: $0) }
  }
}
