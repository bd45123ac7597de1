import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// The successful token response of OAuth 2.1 §3.2.3.
struct TokenResponse: Encodable, Sendable {
  let accessToken: String
  let tokenType = "Bearer"
  let expiresIn: Int
  let refreshToken: String?
  let scope: String

  enum CodingKeys: String, CodingKey {
    case accessToken = "access_token"
    case tokenType = "token_type"
    case expiresIn = "expires_in"
    case refreshToken = "refresh_token"
    case scope
  }

  /// The JSON body, members in sorted order (as `Responses.encoder` writes them), written
  /// directly: the token endpoint answers without a `JSONEncoder` pass.
  var json: [UInt8] {
    var writer = JSONWriter(capacity: 768)
    writer.add(CodingKeys.accessToken.rawValue, accessToken)
    writer.add(CodingKeys.expiresIn.rawValue, expiresIn)
    if let refreshToken { writer.add(CodingKeys.refreshToken.rawValue, refreshToken) }
    writer.add(CodingKeys.scope.rawValue, scope)
    writer.add(CodingKeys.tokenType.rawValue, tokenType)
    return writer.finish()
  }
}

extension AuthorizationServer {
  /// Mints the access token of a token response (`AccessTokenMinter`: a JWT signed with the
  /// active key, RFC 9068), for every grant. Its `token.issued`/`token.refreshed` event is
  /// already stored; if signing fails (no usable key), a `token.issue_failed` event follows it
  /// and the error propagates (a `server_error` answer).
  func mintAccessToken(
    userID: String, clientID: String, resource: String, scopes: ScopeSet, at now: Date,
    source: String?, lifetime: Int? = nil
  ) async throws -> AccessTokenMinter.Minted {
    do {
      return try await minter.mint(
        userID: userID, clientID: clientID, resource: resource, scopes: scopes, at: now,
        lifetime: lifetime)
    } catch {
      await audit(
        AuditEvent(
          time: now, type: "token.issue_failed", outcome: .failure, userID: userID,
          clientID: clientID, resource: resource, sourceAddress: source,
          detail: "access token signing failed"))
      throw error
    }
  }
}
