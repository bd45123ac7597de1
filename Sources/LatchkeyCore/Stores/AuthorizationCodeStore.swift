public import Foundation

/// The answer of `AuthorizationCodeStore.consumeCode`.
public enum CodeConsumption: Sendable, Equatable {
  /// This call consumed the code; it is the only one that ever will.
  case consumed(AuthorizationCode)
  /// The code was consumed before: a replay (OAuth 2.1 §4.1.3). Names the grant to revoke.
  case alreadyUsed(grantID: String)
  /// The code exists, unconsumed, but is past its expiry. Left unconsumed.
  case expired
  /// No such code.
  case notFound
}

/// Authorization codes, stored by hash, consumed exactly once.
public protocol AuthorizationCodeStore: Sendable {
  /// Stores the code together with the grant it will start, atomically.
  func issueCode(_ code: AuthorizationCode, grant: Grant) async throws
  /// Marks the code consumed if and only if it is unconsumed and unexpired, atomically:
  /// of any number of concurrent calls for one code, exactly one gets `.consumed`.
  func consumeCode(hash: String, at time: Date) async throws -> CodeConsumption
  /// Housekeeping: removes codes that expired before `time`; returns how many.
  func deleteExpiredCodes(before time: Date) async throws -> Int
}
