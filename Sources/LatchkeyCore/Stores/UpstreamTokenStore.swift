public import Foundation

/// The token vault's rows (`upstream_tokens`): identity-provider tokens, sealed, tied to a
/// grant. Every store deletes a grant's record when the grant is revoked (by any path: the
/// revocation endpoint, refresh-token reuse, a disabled user, the CLI) and a user's records
/// when the user is deleted.
public protocol UpstreamTokenStore: Sendable {
  /// Stores a pending record (`interactionID` set, `grantID` nil), replacing an earlier
  /// pending record of the same interaction; `notFound("referenced row")` without the user.
  func insertUpstreamToken(_ record: UpstreamTokenRecord) async throws
  /// Ties the pending record of `interactionID` to `grantID` (and forgets the interaction);
  /// false when there is none. A grant has at most one record: an older one is replaced.
  func attachUpstreamToken(interactionID: String, grantID: String, at time: Date) async throws
    -> Bool
  /// The record tied to `grantID`, or nil.
  func upstreamToken(grantID: String) async throws -> UpstreamTokenRecord?
  /// Replaces the sealed box, key id and expiry of `record.id` when its stored version is still
  /// `record.version`, storing version + 1; false when another update came first (or the
  /// record is gone).
  func updateUpstreamToken(_ record: UpstreamTokenRecord, at time: Date) async throws -> Bool
  /// Deletes pending records created before `pendingCreatedBefore` and records whose grant is
  /// revoked or expired at `now`; returns how many went.
  func purgeUpstreamTokens(pendingCreatedBefore: Date, now: Date) async throws -> Int
  /// Deletes the user's records (of one provider, or all); returns how many went.
  func deleteUpstreamTokens(userID: String, provider: String?) async throws -> Int
}
