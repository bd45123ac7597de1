import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE

/// The RFC 7662 §2.2 introspection response.
struct IntrospectionResponse: Encodable, Sendable {
  var active: Bool
  var scope: String?
  var clientID: String?
  var sub: String?
  var aud: String?
  var iss: String?
  var exp: Int64?
  var iat: Int64?
  var jti: String?
  var tokenType: String?
  /// A Latchkey extension member (RFC 7662 §2.2): the name of an API key.
  var apiKeyName: String?

  static let inactive = IntrospectionResponse(active: false)

  enum CodingKeys: String, CodingKey {
    case active, scope, sub, aud, iss, exp, iat, jti
    case clientID = "client_id"
    case tokenType = "token_type"
    case apiKeyName = "api_key_name"
  }
}

extension AuthorizationServer {
  /// `POST /introspect` (RFC 7662).
  ///
  /// §2.1: the caller must authenticate; Latchkey requires a confidential client (a resource
  /// server registered as one). Access tokens are verified like a resource server would (our
  /// keys, issuer, expiry); refresh tokens are described only to the client they belong to;
  /// API keys (`lk_pat_…`) to any authenticated resource server (`introspectAPIKey`).
  /// Anything else is `{"active": false}` (§2.2).
  func introspect(_ request: Request, context: LatchkeyRequestContext) async -> Response {
    do {
      let (form, caller): (FormBody, Client)
      switch try await confidentialCaller(request, context: context, purpose: "Introspection") {
      case .authenticated(let parsed, let client): (form, caller) = (parsed, client)
      case .refused(let refusal): return refusal
      }
      guard let token = form["token"] else {
        return Responses.oauthError(OAuthError(.invalidRequest, "token is required."))
      }
      let now = clock.now()
      switch APIKeyFormat.recognize(token) {
      case .wellFormed(let id):
        return Responses.json(try await introspectAPIKey(token, id: id, now: now))
      case .malformed: return Responses.json(IntrospectionResponse.inactive)
      case .notAnAPIKey: break
      }
      if token.split(separator: ".", omittingEmptySubsequences: false).count == 3 {
        return Responses.json(try await introspectAccessToken(token, now: now))
      }
      return Responses.json(try await introspectRefreshToken(token, caller: caller, now: now))
    } catch {
      return Responses.oauthError(unexpected(error, in: "introspection"))
    }
  }

  func introspectAccessToken(_ token: String, now: Date) async throws -> IntrospectionResponse {
    let snapshot = try await keys.current()
    let resolver = StaticKeyResolver(
      snapshot.jwks.keys.compactMap { try? VerificationKey(jwk: $0) })
    let validator = JWTValidator(
      issuer: issuer, audience: nil, leeway: 0, requireExpiry: true, expectedType: "at+jwt")
    guard
      let (_, claims) = try? JWT.verify(
        token, keys: resolver, validator: validator, now: Int64(now.timeIntervalSince1970))
    else { return .inactive }
    return IntrospectionResponse(
      active: true, scope: claims.scope, clientID: claims.clientID, sub: claims.sub,
      aud: claims.aud?.values.first, iss: claims.iss, exp: claims.exp, iat: claims.iat,
      jti: claims.jti, tokenType: "Bearer")
  }

  func introspectRefreshToken(_ token: String, caller: Client, now: Date) async throws
    -> IntrospectionResponse
  {
    guard let record = try await store.refreshToken(hash: SecretHash.of(token)),
      record.clientID == caller.id, record.revokedAt == nil, record.rotatedAt == nil,
      now < record.expiresAt, let grant = try await store.grant(id: record.grantID),
      grant.isLive(at: now)
    else { return .inactive }
    return IntrospectionResponse(
      active: true, scope: record.scopes.parameter, clientID: record.clientID, sub: grant.userID,
      aud: record.resource, iss: issuer, exp: Int64(record.expiresAt.timeIntervalSince1970),
      iat: Int64(record.issuedAt.timeIntervalSince1970), tokenType: "refresh_token")
  }
}
