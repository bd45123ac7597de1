import Foundation
import LatchkeyCore
import LatchkeyJOSE

extension AuthorizationServer {
  /// `grant_type=authorization_code` (OAuth 2.1 §4.1.3).
  ///
  /// The code is consumed atomically, together with storing the grant's first refresh token; a
  /// replay revokes the grant and with it every token minted from the code (§4.1.3, RFC 9700
  /// §4.5) — a concurrent replay always finds the winner's refresh token already stored. The
  /// request must match what was authorized: the client, the redirect URI, the PKCE verifier
  /// (constant time) and, when sent, the resource (RFC 8707 §2.2); any mismatch consumes the
  /// code, issues nothing and revokes the grant.
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
    let refreshValue = SecureRandom.token()
    let refreshLifetime = TimeInterval(configuration.tokens.refreshToken)
    let clientMayRefresh = client.grantTypes.contains("refresh_token")
    let form = form
    let clientForCheck = client
    // One transaction consumes the code, stores the grant's first refresh token (built only
    // when the request matches what was authorized) and appends the `token.issued` audit event,
    // so the redemption and its audit line are committed together.
    let redemption = try await store.redeemCode(
      hash: SecretHash.of(code), at: now,
      firstRefreshToken: { record, grant in
        guard clientMayRefresh,
          Self.codeMismatch(record, client: clientForCheck, form: form, verifier: verifier) == nil
        else { return nil }
        return RefreshToken(
          tokenHash: SecretHash.of(refreshValue), grantID: grant.id, clientID: record.clientID,
          scopes: record.scopes, resource: record.resource, issuedAt: now,
          expiresAt: min(now.addingTimeInterval(refreshLifetime), grant.expiresAt))
      },
      recording: { record, _ in
        guard
          Self.codeMismatch(record, client: clientForCheck, form: form, verifier: verifier)
            == nil
        else { return nil }
        return AuditEvent(
          time: now, type: "token.issued", outcome: .success, userID: record.userID,
          clientID: record.clientID, resource: record.resource, scopes: record.scopes,
          sourceAddress: source)
      })
    let record: AuthorizationCode
    let refreshToken: RefreshToken?
    switch redemption {
    case .redeemed(let redeemed, _, let token):
      record = redeemed
      refreshToken = token
    case .alreadyUsed(let grantID):
      _ = try await store.revokeGrant(id: grantID, at: now, reason: "authorization_code_replay")
      await audit(
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
    if let mismatch = Self.codeMismatch(record, client: client, form: form, verifier: verifier) {
      _ = try await store.revokeGrant(id: record.grantID, at: now, reason: "code_binding_mismatch")
      await audit(
        AuditEvent(
          time: now, type: "token.refused", outcome: .failure, userID: record.userID,
          clientID: client.id, resource: record.resource, sourceAddress: source,
          detail: mismatch.code.rawValue))
      return .failure(mismatch)
    }
    let access = try await mintRecordingFailure(
      userID: record.userID, clientID: client.id, resource: record.resource,
      scopes: record.scopes, at: now, source: source)
    return .success(
      TokenResponse(
        accessToken: access.token, expiresIn: access.expiresIn,
        refreshToken: refreshToken == nil ? nil : refreshValue, scope: record.scopes.parameter))
  }

  /// Mints the access token whose `token.issued`/`token.refreshed` event is already stored; if
  /// signing fails (no usable key), a `token.issue_failed` event follows it and the error
  /// propagates (a `server_error` answer).
  func mintRecordingFailure(
    userID: String, clientID: String, resource: String, scopes: ScopeSet, at now: Date,
    source: String?
  ) async throws -> AccessTokenMinter.Minted {
    do {
      return try await minter.mint(
        userID: userID, clientID: clientID, resource: resource, scopes: scopes, at: now)
    } catch {
      await audit(
        AuditEvent(
          time: now, type: "token.issue_failed", outcome: .failure, userID: userID,
          clientID: clientID, resource: resource, sourceAddress: source,
          detail: "access token signing failed"))
      throw error
    }
  }

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
    // The usual case, the very string that was authorized, needs no URL parsing.
    if requested.count == 1, requested[0] == authorized { return nil }
    let canonical = ResourceIndicatorRule.canonicalize(authorized)
    guard requested.count == 1, let asked = ResourceIndicatorRule.canonicalize(requested[0]),
      asked == canonical
    else {
      return OAuthError(.invalidTarget, "The resource does not match the authorization.")
    }
    return nil
  }
}
