import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// Mints RFC 9068 access tokens: JWS with `typ: at+jwt` and claims
/// `iss sub aud exp iat jti client_id scope`.
struct AccessTokenMinter: Sendable {
  let issuer: String
  let lifetime: Int
  let keys: SigningKeyProvider

  struct Minted: Sendable {
    let token: String
    let expiresIn: Int
  }

  /// RFC 9068 §2.2: `aud` is the resource the token is for (RFC 8707), `sub` the user — or,
  /// for a grant without a user (`client_credentials`), the client itself, so `sub` equals
  /// `client_id`. `lifetime` overrides the configured access-token lifetime.
  func mint(
    userID: String, clientID: String, resource: String, scopes: ScopeSet, at now: Date,
    lifetime: Int? = nil
  ) async throws -> Minted {
    let key = try await keys.current().active
    let issuedAt = Int64(now.timeIntervalSince1970)
    let seconds = lifetime ?? self.lifetime
    let claims = JWTClaims(
      iss: issuer, sub: userID, aud: .one(resource), exp: issuedAt + Int64(seconds),
      iat: issuedAt, jti: SecureRandom.token(byteCount: 16), clientID: clientID,
      scope: scopes.parameter)
    return Minted(token: try JWT.sign(claims, key: key, type: "at+jwt"), expiresIn: seconds)
  }
}
