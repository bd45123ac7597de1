public import Foundation

/// The rows a store writes to carry out a decision of `RefreshRotationRule` or
/// `CodeConsumptionRule`, all in the transaction that read the rows decided on. A backend
/// executes them in the order of the properties below and decides nothing itself.
public struct TokenWrites: Sendable, Equatable {
  /// Insert a refresh token: the successor of a rotation, or a grant's first token.
  public var insertRefreshToken: RefreshToken?
  /// Mark the presented refresh token rotated (after its successor is inserted).
  public var markRotated: RotationMark?
  /// Revoke a grant and every refresh token of its family (RFC 9700 §4.14.2).
  public var revokeFamily: FamilyRevocation?
  /// Append an audit event.
  public var appendAudit: AuditEvent?

  /// Writes that change nothing until their properties are set.
  public init(
    insertRefreshToken: RefreshToken? = nil, markRotated: RotationMark? = nil,
    revokeFamily: FamilyRevocation? = nil, appendAudit: AuditEvent? = nil
  ) {
    self.insertRefreshToken = insertRefreshToken
    self.markRotated = markRotated
    self.revokeFamily = revokeFamily
    self.appendAudit = appendAudit
  }

  /// No write: a refusal or an idempotent replay.
  public static let none = TokenWrites()
}

/// `rotated_at` and `successor_hash` of the refresh token whose hash is `tokenHash`.
public struct RotationMark: Sendable, Equatable {
  public var tokenHash: String
  public var rotatedAt: Date
  public var successorHash: String

  public init(tokenHash: String, rotatedAt: Date, successorHash: String) {
    self.tokenHash = tokenHash
    self.rotatedAt = rotatedAt
    self.successorHash = successorHash
  }
}

/// The revocation of a grant and of every refresh token issued under it.
public struct FamilyRevocation: Sendable, Equatable {
  public var grantID: String
  public var revokedAt: Date
  /// The grant's `revocation_reason`.
  public var reason: String

  public init(grantID: String, revokedAt: Date, reason: String) {
    self.grantID = grantID
    self.revokedAt = revokedAt
    self.reason = reason
  }
}

/// A rule's verdict as a store executes it: `writes` in the transaction, then `answer` to the
/// caller once it commits.
public struct WritePlan<Answer: Sendable & Equatable>: Sendable, Equatable {
  public var writes: TokenWrites
  public var answer: Answer

  public init(writes: TokenWrites = .none, answer: Answer) {
    self.writes = writes
    self.answer = answer
  }
}
