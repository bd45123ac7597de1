import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// `grant_type=refresh_token` (OAuth 2.1 §4.3) with rotation on every use (§4.3.1,
/// RFC 9700 §4.14.2).
///
/// The successor's value is derived from the presented token with a server-side HMAC key, so
/// a client that retries inside the grace window (a lost response) receives the same successor
/// although only hashes are stored. Reuse outside the window revokes the whole family. The
/// scope may be narrowed, never widened; `resource`, when sent, must be the grant's.
struct RefreshTokenGrant: GrantHandler {
  let grantType = GrantType.refreshToken

  func exchange(
    _ form: FormBody, client: Client, source: String?, server: AuthorizationServer
  ) async throws -> Result<TokenResponse, OAuthError> {
    let request: RefreshTokenRequest
    switch RefreshTokenRequest.parse(form, clientID: client.id) {
    case .success(let parsed): request = parsed
    case .failure(let error): return .failure(error)
    }
    let now = server.clock.now()
    let rotationKey = try await server.keys.current().rotationKey
    let successorValue = Base64URL.encode(
      Digest.hmacSHA256(key: rotationKey, message: Array(request.presented.utf8)))
    let rotation = RotationIssuance(
      at: now, successorHash: SecretHash.of(successorValue),
      lifetime: TimeInterval(server.configuration.tokens.refreshToken), source: source)
    // The plan's successor and `token.refreshed` event are committed with the rotation.
    let outcome = try await server.store.rotateRefreshToken(
      hash: request.presentedHash, at: now,
      graceWindow: TimeInterval(server.configuration.tokens.refreshGraceWindow)
    ) { Self.plan(request, parent: $0, grant: $1, issuing: rotation) }
    let grant: Grant
    let successor: RefreshToken
    let scopes: ScopeSet
    // A retry inside the grace window changed nothing in the store: its event is appended on
    // its own once the access token is minted.
    var retried = false
    switch outcome {
    case .rotated(_, let rotatedGrant, let writes):
      (grant, successor, scopes) = (rotatedGrant, writes.successor, writes.accessScopes)
    case .replayedWithinGrace(let parent, let issued, let liveGrant):
      switch request.replayScopes(parent: parent, successor: issued, expected: rotation) {
      case .success(let narrowed): (grant, successor, scopes) = (liveGrant, issued, narrowed)
      case .failure(let error): return .failure(error)
      }
      retried = true
    case .reuseDetected(let grantID):
      server.metrics.recordRefreshReuse()
      let family = try await server.store.grant(id: grantID)
      await server.audit(
        AuditEvent(
          time: now, type: "refresh.reuse_detected", outcome: .failure, userID: family?.userID,
          clientID: client.id, resource: family?.resource, sourceAddress: source,
          detail: "grant family revoked"))
      return .failure(OAuthError(.invalidGrant, "The refresh token was already used."))
    case .refused(let reason):
      return .failure(
        OAuthError(.invalidGrant, "The refresh token is invalid.", detail: "\(reason)"))
    case .requestRefused(let error):
      return .failure(error)
    }
    let access = try await server.mintAccessToken(
      userID: grant.userID, clientID: client.id, resource: successor.resource, scopes: scopes,
      at: now, source: source)
    if retried {
      await server.audit(
        AuditEvent(
          time: now, type: "token.refreshed", outcome: .success, userID: grant.userID,
          clientID: client.id, resource: successor.resource, scopes: scopes,
          sourceAddress: source, detail: "retry within the grace window"))
    }
    return .success(
      TokenResponse(
        accessToken: access.token, expiresIn: access.expiresIn, refreshToken: successorValue,
        scope: scopes.parameter))
  }

  /// What rotating `parent` stores, decided once from the request and the rows read in the
  /// store's transaction: a refusal that changes nothing when the token is another client's,
  /// the resource is not the grant's or the scope widens (OAuth 2.1 §4.3.1), else the successor
  /// (its lifetime capped by the grant's, RFC 9700 §4.14.2), the access token's scopes and the
  /// `token.refreshed` event.
  static func plan(
    _ request: RefreshTokenRequest, parent: RefreshToken, grant: Grant,
    issuing issuance: RotationIssuance
  ) -> RefreshRotationPlan {
    guard parent.clientID == request.clientID else {
      return .refuse(OAuthError(.invalidGrant, "The refresh token was issued to another client."))
    }
    let scopes: ScopeSet
    switch request.scopes(authorized: parent, granted: grant.scopes) {
    case .success(let narrowed): scopes = narrowed
    case .failure(let error): return .refuse(error)
    }
    let now = issuance.at
    let successor = RefreshToken(
      tokenHash: issuance.successorHash, grantID: parent.grantID, clientID: parent.clientID,
      scopes: parent.scopes, resource: parent.resource, issuedAt: now,
      expiresAt: min(now.addingTimeInterval(issuance.lifetime), grant.expiresAt),
      parentHash: parent.tokenHash)
    return .rotate(
      RefreshRotationWrites(
        successor: successor, accessScopes: scopes,
        event: AuditEvent(
          time: now, type: "token.refreshed", outcome: .success, userID: grant.userID,
          clientID: request.clientID, resource: successor.resource, scopes: scopes,
          sourceAddress: issuance.source)))
  }
}

/// What a rotation issues, fixed before the store transaction.
struct RotationIssuance: Sendable {
  let at: Date
  /// The hash of the successor's value, `HMAC-SHA-256(rotationKey, presented token)`.
  let successorHash: String
  let lifetime: TimeInterval
  let source: String?
}

/// A token request with `grant_type=refresh_token`, read and shaped before any lookup.
struct RefreshTokenRequest: Sendable {
  /// The authenticated client.
  let clientID: String
  /// `refresh_token`, as presented (the successor's value is derived from it).
  let presented: String
  /// `SecretHash` of the presented token: refresh tokens are stored by hash.
  let presentedHash: String
  /// `scope`, when sent (OAuth 2.1 §4.3.1: narrows the access token's scope).
  let requestedScopes: ScopeSet?
  /// Every `resource` parameter (RFC 8707).
  let resources: [String]

  /// OAuth 2.1 §4.3.1: `refresh_token` is required; `scope`, when sent, is a scope list
  /// (RFC 6749 §3.3).
  static func parse(_ form: FormBody, clientID: String) -> Result<Self, OAuthError> {
    guard let presented = form["refresh_token"] else {
      return .failure(OAuthError(.invalidRequest, "refresh_token is required."))
    }
    var requestedScopes: ScopeSet?
    if let scope = form["scope"] {
      guard let parsed = ScopeSet(parameter: scope) else {
        return .failure(OAuthError(.invalidScope, "The scope parameter is malformed."))
      }
      requestedScopes = parsed
    }
    return .success(
      RefreshTokenRequest(
        clientID: clientID, presented: presented, presentedHash: SecretHash.of(presented),
        requestedScopes: requestedScopes, resources: form.resources))
  }

  /// The access token's scopes, or why the request does not fit the token: a `resource`, when
  /// sent, is the grant's (RFC 8707 §2.2); `scope` narrows `granted`, never widens it (OAuth 2.1
  /// §4.3.1, `ScopeRule.narrow`).
  func scopes(authorized token: RefreshToken, granted: ScopeSet) -> Result<ScopeSet, OAuthError> {
    if let mismatch = TokenRequestBinding.resourceMismatch(resources, authorized: token.resource) {
      return .failure(mismatch)
    }
    return ScopeRule.narrow(requested: requestedScopes, granted: granted)
  }

  /// The access token's scopes for a retry inside the grace window (RFC 9700 §4.14.2): the
  /// rotated token is this client's and its successor is the one this very token derives, else
  /// the token is invalid; then as `scopes(authorized:granted:)`.
  func replayScopes(parent: RefreshToken, successor: RefreshToken, expected: RotationIssuance)
    -> Result<ScopeSet, OAuthError>
  {
    guard parent.clientID == clientID, successor.tokenHash == expected.successorHash else {
      return .failure(OAuthError(.invalidGrant, "The refresh token is invalid."))
    }
    return scopes(authorized: parent, granted: successor.scopes)
  }
}
