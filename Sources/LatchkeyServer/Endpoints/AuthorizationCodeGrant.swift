import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// `grant_type=authorization_code` (OAuth 2.1 §4.1.3).
///
/// The code is consumed atomically, together with storing the grant's first refresh token; a
/// replay revokes the grant and with it every token minted from the code (§4.1.3, RFC 9700
/// §4.5) — a concurrent replay always finds the winner's refresh token already stored. The
/// request must match what was authorized (`AuthorizationCodeRequest.mismatch`): any mismatch
/// consumes the code, issues nothing and revokes the grant.
struct AuthorizationCodeGrant: GrantHandler {
  let grantType = GrantType.authorizationCode

  func exchange(
    _ form: FormBody, client: Client, source: String?, server: AuthorizationServer
  ) async throws -> Result<TokenResponse, OAuthError> {
    let request: AuthorizationCodeRequest
    switch AuthorizationCodeRequest.parse(form, clientID: client.id) {
    case .success(let parsed): request = parsed
    case .failure(let error): return .failure(error)
    }
    let now = server.clock.now()
    let refreshValue = client.grantTypes.contains(.refreshToken) ? SecureRandom.token() : nil
    let issuance = CodeIssuance(
      at: now, refreshTokenHash: refreshValue.map(SecretHash.of),
      refreshLifetime: TimeInterval(server.configuration.tokens.refreshToken), source: source)
    // One transaction consumes the code and executes the plan: the grant's first refresh token
    // and the `token.issued` audit event, committed together, or nothing when the request does
    // not match the code.
    let redemption = try await server.store.redeemCode(hash: request.codeHash, at: now) {
      Self.plan(request, code: $0, grant: $1, issuing: issuance)
    }
    switch redemption {
    case .redeemed(let record, _, let refreshToken):
      let access = try await server.mintAccessToken(
        userID: record.userID, clientID: client.id, resource: record.resource,
        scopes: record.scopes, at: now, source: source)
      return .success(
        TokenResponse(
          accessToken: access.token, expiresIn: access.expiresIn,
          refreshToken: refreshToken == nil ? nil : refreshValue, scope: record.scopes.parameter))
    case .requestRefused(let record, let mismatch):
      _ = try await server.store.revokeGrant(
        id: record.grantID, at: now, reason: "code_binding_mismatch")
      await server.audit(
        AuditEvent(
          time: now, type: "token.refused", outcome: .failure, userID: record.userID,
          clientID: client.id, resource: record.resource, sourceAddress: source,
          detail: mismatch.code.rawValue))
      return .failure(mismatch)
    case .alreadyUsed(let grantID):
      _ = try await server.store.revokeGrant(
        id: grantID, at: now, reason: "authorization_code_replay")
      await server.audit(
        AuditEvent(
          time: now, type: "code.replay_detected", outcome: .failure, clientID: client.id,
          sourceAddress: source, detail: "grant revoked"))
      return .failure(OAuthError(.invalidGrant, "The authorization code was already used."))
    case .expired:
      return .failure(OAuthError(.invalidGrant, "The authorization code has expired."))
    case .notFound:
      return .failure(OAuthError(.invalidGrant, "The authorization code is invalid."))
    case .grantNotLive:
      return .failure(OAuthError(.invalidGrant, "The authorization was revoked."))
    }
  }

  /// What redeeming `code` stores, decided once from the request and the rows read in the
  /// store's transaction: nothing when the request breaks a binding (OAuth 2.1 §4.1.3), else
  /// the grant's first refresh token (when the client may refresh; its lifetime capped by the
  /// grant's, RFC 9700 §4.14.2) and the `token.issued` event.
  static func plan(
    _ request: AuthorizationCodeRequest, code: AuthorizationCode, grant: Grant,
    issuing issuance: CodeIssuance
  ) -> CodeRedemptionPlan {
    if let mismatch = request.mismatch(code) { return .refuse(mismatch) }
    let now = issuance.at
    let refreshToken = issuance.refreshTokenHash.map {
      RefreshToken(
        tokenHash: $0, grantID: grant.id, clientID: code.clientID, scopes: code.scopes,
        resource: code.resource, issuedAt: now,
        expiresAt: min(now.addingTimeInterval(issuance.refreshLifetime), grant.expiresAt))
    }
    return .issue(
      refreshToken: refreshToken,
      event: AuditEvent(
        time: now, type: "token.issued", outcome: .success, userID: code.userID,
        clientID: code.clientID, resource: code.resource, scopes: code.scopes,
        sourceAddress: issuance.source))
  }
}

/// What a redemption issues besides the access token, fixed before the store transaction.
struct CodeIssuance: Sendable {
  let at: Date
  /// The hash of the first refresh token's value; nil when the client may not refresh.
  let refreshTokenHash: String?
  let refreshLifetime: TimeInterval
  let source: String?
}

/// A token request with `grant_type=authorization_code`, read and shaped before any lookup.
struct AuthorizationCodeRequest: Sendable {
  /// The authenticated client.
  let clientID: String
  /// `SecretHash` of `code`: codes are stored by hash.
  let codeHash: String
  /// `redirect_uri`, when sent.
  let redirectURI: String?
  /// `BASE64URL(SHA256(code_verifier))`, computed here, outside the store transaction.
  let verifierChallenge: String
  /// Every `resource` parameter (RFC 8707).
  let resources: [String]

  /// OAuth 2.1 §4.1.3: `code` and `code_verifier` are required; RFC 7636 §4.1: the verifier
  /// is 43–128 unreserved characters (`PKCERule`).
  static func parse(_ form: FormBody, clientID: String) -> Result<Self, OAuthError> {
    guard let code = form["code"] else {
      return .failure(OAuthError(.invalidRequest, "code is required."))
    }
    guard let verifier = form["code_verifier"] else {
      return .failure(OAuthError(.invalidRequest, "code_verifier is required."))
    }
    guard PKCERule.isWellFormedVerifier(verifier) else {
      return .failure(OAuthError(.invalidRequest, "code_verifier is malformed."))
    }
    return .success(
      AuthorizationCodeRequest(
        clientID: clientID, codeHash: SecretHash.of(code), redirectURI: form["redirect_uri"],
        verifierChallenge: PKCE.s256Challenge(verifier: verifier), resources: form.resources))
  }

  /// The first binding of `code` this request breaks, or nil (OAuth 2.1 §4.1.3): the code was
  /// issued to this client; `redirect_uri` is the authorization request's when either names
  /// one; the PKCE S256 verification — `BASE64URL(SHA256(code_verifier))` equals the stored
  /// `code_challenge`, compared in constant time (RFC 7636 §4.6); and a `resource`, when sent,
  /// is the code's (RFC 8707 §2.2).
  func mismatch(_ code: AuthorizationCode) -> OAuthError? {
    guard code.clientID == clientID else {
      return OAuthError(.invalidGrant, "The code was issued to another client.")
    }
    if code.redirectURIWasExplicit || redirectURI != nil {
      guard redirectURI == code.redirectURI else {
        return OAuthError(.invalidGrant, "redirect_uri does not match the authorization request.")
      }
    }
    guard ConstantTime.equals(verifierChallenge, code.codeChallenge) else {
      return OAuthError(.invalidGrant, "The code_verifier does not match the code_challenge.")
    }
    return TokenRequestBinding.resourceMismatch(resources, authorized: code.resource)
  }
}
