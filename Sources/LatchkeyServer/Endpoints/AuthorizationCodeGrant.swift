import Foundation
import LatchkeyCore
import LatchkeyJOSE

extension AuthorizationServer {
  /// `grant_type=authorization_code` (OAuth 2.1 §4.1.3).
  ///
  /// The code is consumed atomically first; a replay revokes the grant and with it every token
  /// minted from the code (§4.1.3, RFC 9700 §4.5). After consumption the request must match
  /// what was authorized: the client, the redirect URI, the PKCE verifier (constant time) and,
  /// when sent, the resource (RFC 8707 §2.2). Any mismatch also revokes the grant.
  func redeemAuthorizationCode(form: FormBody, client: Client, source: String?) async throws
    -> Result<TokenResponse, OAuthError>
  {
    guard let code = form["code"] else {
      return .failure(OAuthError(.invalidRequest, "code is required."))
    }
    guard let verifier = form["code_verifier"] else {
      return .failure(OAuthError(.invalidRequest, "code_verifier is required."))
    }
    guard PKCERule.isWellFormedVerifier(verifier) else {
      return .failure(OAuthError(.invalidRequest, "code_verifier is malformed."))
    }
    let now = clock.now()
    let record: AuthorizationCode
    switch try await store.consumeCode(hash: SecretHash.of(code), at: now) {
    case .consumed(let consumed):
      record = consumed
    case .alreadyUsed(let grantID):
      _ = try await store.revokeGrant(id: grantID, at: now, reason: Self.codeReplayReason)
      await audit(
        AuditEvent(
          time: now, type: "code.replay_detected", outcome: .failure, clientID: client.id,
          sourceAddress: source, detail: "grant revoked"))
      return .failure(OAuthError(.invalidGrant, "The authorization code was already used."))
    case .expired:
      return .failure(OAuthError(.invalidGrant, "The authorization code has expired."))
    case .notFound:
      return .failure(OAuthError(.invalidGrant, "The authorization code is invalid."))
    }
    if let mismatch = Self.codeMismatch(record, client: client, form: form, verifier: verifier) {
      _ = try await store.revokeGrant(id: record.grantID, at: now, reason: "code_binding_mismatch")
      await audit(
        AuditEvent(
          time: now, type: "token.refused", outcome: .failure, userID: record.userID,
          clientID: client.id, resource: record.resource, sourceAddress: source,
          detail: mismatch.code.rawValue))
      return .failure(mismatch)
    }
    return try await issueTokens(
      grantID: record.grantID, userID: record.userID, client: client, resource: record.resource,
      scopes: record.scopes, at: now, source: source, event: "token.issued")
  }

  static let codeReplayReason = "authorization_code_replay"

  /// The first binding the token request breaks, or nil.
  static func codeMismatch(
    _ record: AuthorizationCode, client: Client, form: FormBody, verifier: String
  ) -> OAuthError? {
    guard record.clientID == client.id else {
      return OAuthError(.invalidGrant, "The code was issued to another client.")
    }
    let redirect = form["redirect_uri"]
    if record.redirectURIWasExplicit || redirect != nil {
      guard redirect == record.redirectURI else {
        return OAuthError(.invalidGrant, "redirect_uri does not match the authorization request.")
      }
    }
    guard ConstantTime.equals(PKCE.s256Challenge(verifier: verifier), record.codeChallenge) else {
      return OAuthError(.invalidGrant, "The code_verifier does not match the code_challenge.")
    }
    if let resourceMismatch = resourceMismatch(form.resources, authorized: record.resource) {
      return resourceMismatch
    }
    return nil
  }

  /// RFC 8707 §2.2: a token request may name the resource again; it must be the one the grant is
  /// for (Latchkey grants cover exactly one resource).
  static func resourceMismatch(_ requested: [String], authorized: String) -> OAuthError? {
    guard !requested.isEmpty else { return nil }
    let canonical = ResourceIndicatorRule.canonicalize(authorized)
    guard requested.count == 1, let asked = ResourceIndicatorRule.canonicalize(requested[0]),
      asked == canonical
    else {
      return OAuthError(.invalidTarget, "The resource does not match the authorization.")
    }
    return nil
  }

  /// Stores a first refresh token (when the client may refresh) and mints the access token.
  func issueTokens(
    grantID: String, userID: String, client: Client, resource: String, scopes: ScopeSet,
    at now: Date, source: String?, event: String
  ) async throws -> Result<TokenResponse, OAuthError> {
    guard let grant = try await store.grant(id: grantID) else {
      return .failure(OAuthError(.invalidGrant, "The grant was revoked."))
    }
    // A replay of this very code racing its first redemption revokes the grant while the winner
    // is still issuing: the winner is answered as if it had come first (its refresh token is
    // dead with the grant; the access token lives until `exp`), exactly as sequential requests
    // would have ended. Any other revocation refuses the exchange.
    let revokedByConcurrentReplay = grant.revocationReason == Self.codeReplayReason
    guard grant.isLive(at: now) || revokedByConcurrentReplay else {
      return .failure(OAuthError(.invalidGrant, "The grant was revoked."))
    }
    var refreshValue: String?
    if client.grantTypes.contains("refresh_token"), !revokedByConcurrentReplay {
      let value = SecureRandom.token()
      let token = RefreshToken(
        tokenHash: SecretHash.of(value), grantID: grantID, clientID: client.id, scopes: scopes,
        resource: resource, issuedAt: now,
        expiresAt: min(
          now.addingTimeInterval(TimeInterval(configuration.tokens.refreshToken)), grant.expiresAt))
      switch try await store.issueRefreshToken(token) {
      case .issued: refreshValue = value
      case .grantNotLive:
        let reason = try await store.grant(id: grantID)?.revocationReason
        guard reason == Self.codeReplayReason else {
          return .failure(OAuthError(.invalidGrant, "The grant was revoked."))
        }
      }
    }
    let access = try await minter.mint(
      userID: userID, clientID: client.id, resource: resource, scopes: scopes, at: now)
    await audit(
      AuditEvent(
        time: now, type: event, outcome: .success, userID: userID, clientID: client.id,
        resource: resource, scopes: scopes, sourceAddress: source))
    return .success(
      TokenResponse(
        accessToken: access.token, expiresIn: access.expiresIn, refreshToken: refreshValue,
        scope: scopes.parameter))
  }
}
