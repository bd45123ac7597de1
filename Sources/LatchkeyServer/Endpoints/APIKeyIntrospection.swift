import Foundation
import LatchkeyCore
import LatchkeyJOSE

extension AuthorizationServer {
  /// RFC 7662 §2.2 for an API key whose shape and checksum are right (`APIKeyFormat`): found by
  /// its hash, with the public id written in it matching the row's, and active under
  /// `APIKeyRule.inactive` (not revoked, not expired, its user present and enabled or its
  /// client present). Active answers carry `sub` (the user, or the client for a service key),
  /// `client_id` (service keys only: a personal key has no OAuth client), `scope`, `aud` = the
  /// key's resource, `exp`, `iat`, `iss`, `jti` = the key's public id, `token_type` `api_key`
  /// and `api_key_name`; never the key. A use is written at most hourly.
  func introspectAPIKey(_ token: String, id: String, now: Date) async throws
    -> IntrospectionResponse
  {
    guard let key = try await store.apiKey(hash: SecretHash.of(token)),
      ConstantTime.equals(key.id, id)
    else { return .inactive }
    let ownerAvailable: Bool
    switch key.owner {
    case .user(let userID):
      ownerAvailable = try await store.user(id: userID).map { !$0.disabled } ?? false
    case .client(let clientID):
      ownerAvailable = try await store.client(id: clientID) != nil
    }
    guard APIKeyRule.inactive(key, ownerAvailable: ownerAvailable, now: now) == nil else {
      return .inactive
    }
    if APIKeyRule.shouldRecordUse(lastUsedAt: key.lastUsedAt, now: now) {
      try await store.recordAPIKeyUse(id: key.id, at: now, interval: APIKeyRule.useRecordInterval)
    }
    return IntrospectionResponse(
      active: true, scope: key.scopes.parameter, clientID: key.owner.clientID,
      sub: key.owner.userID ?? key.owner.clientID, aud: key.resource, iss: issuer,
      exp: Int64(key.expiresAt.timeIntervalSince1970),
      iat: Int64(key.createdAt.timeIntervalSince1970), jti: key.id,
      tokenType: APIKeyRule.tokenType, apiKeyName: key.name)
  }
}
