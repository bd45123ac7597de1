import Foundation
import LatchkeyCore
import LatchkeyJOSE
import Synchronization

extension AuthorizationServer {
  /// `grant_type=refresh_token` (OAuth 2.1 §4.3) with rotation on every use (§4.3.1,
  /// RFC 9700 §4.14.2).
  ///
  /// The successor's value is derived from the presented token with a server-side HMAC key, so
  /// a client that retries inside the grace window (a lost response) receives the same successor
  /// although only hashes are stored. Reuse outside the window revokes the whole family. The
  /// scope may be narrowed, never widened; `resource`, when sent, must be the grant's.
  func refresh(form: FormBody, client: Client, source: String?) async throws -> Result<
    TokenResponse, OAuthError
  > {
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
    let now = clock.now()
    let rotationKey = try await keys.current().rotationKey
    let successorValue = Base64URL.encode(
      Digest.hmacSHA256(key: rotationKey, message: Array(presented.utf8)))
    let successorHash = SecretHash.of(successorValue)
    let lifetime = TimeInterval(configuration.tokens.refreshToken)
    let resources = form.resources
    let clientID = client.id
    let narrowing = requestedScopes
    let rotationGrant = WrittenInTransaction<Grant>()
    let rotation = try await store.rotateRefreshToken(
      hash: SecretHash.of(presented), at: now,
      graceWindow: TimeInterval(configuration.tokens.refreshGraceWindow),
      makeSuccessor: { parent, grant in
        guard parent.clientID == clientID else {
          throw OAuthError(.invalidGrant, "The refresh token was issued to another client.")
        }
        if let mismatch = Self.resourceMismatch(resources, authorized: parent.resource) {
          throw mismatch
        }
        // A widening request changes nothing: refuse before the parent is rotated.
        _ = try ScopeRule.narrow(requested: narrowing, granted: grant.scopes).get()
        return RefreshToken(
          tokenHash: successorHash, grantID: parent.grantID, clientID: parent.clientID,
          scopes: parent.scopes, resource: parent.resource, issuedAt: now,
          expiresAt: min(now.addingTimeInterval(lifetime), grant.expiresAt),
          parentHash: parent.tokenHash)
      },
      // The `token.refreshed` event is committed with the rotation; the grant read there is kept
      // so the access token needs no second read.
      recording: { successor, grant in
        rotationGrant.keep(grant)
        return AuditEvent(
          time: now, type: "token.refreshed", outcome: .success, userID: grant.userID,
          clientID: clientID, resource: successor.resource,
          scopes: (try? ScopeRule.narrow(requested: narrowing, granted: successor.scopes).get())
            ?? successor.scopes, sourceAddress: source)
      })
    let successor: RefreshToken
    // A retry inside the grace window changed nothing in the store: its event is appended on
    // its own once the access token is minted.
    var retried = false
    switch rotation {
    case .rotated(_, let next):
      successor = next
    case .replayedWithinGrace(let parent, let next):
      retried = true
      guard parent.clientID == client.id, next.tokenHash == successorHash else {
        return .failure(OAuthError(.invalidGrant, "The refresh token is invalid."))
      }
      if let mismatch = Self.resourceMismatch(resources, authorized: parent.resource) {
        return .failure(mismatch)
      }
      successor = next
    case .reuseDetected(let grantID):
      metrics.recordRefreshReuse()
      let grant = try await store.grant(id: grantID)
      await audit(
        AuditEvent(
          time: now, type: "refresh.reuse_detected", outcome: .failure, userID: grant?.userID,
          clientID: client.id, resource: grant?.resource, sourceAddress: source,
          detail: "grant family revoked"))
      return .failure(OAuthError(.invalidGrant, "The refresh token was already used."))
    case .refused(let reason):
      return .failure(
        OAuthError(.invalidGrant, "The refresh token is invalid.", detail: "\(reason)"))
    }
    let scopes: ScopeSet
    switch ScopeRule.narrow(requested: requestedScopes, granted: successor.scopes) {
    case .success(let narrowed): scopes = narrowed
    case .failure(let error): return .failure(error)
    }
    // A retry inside the grace window rotated nothing: its grant is read here.
    var seenGrant = rotationGrant.value
    if seenGrant == nil { seenGrant = try await store.grant(id: successor.grantID) }
    guard let grant = seenGrant else {
      return .failure(OAuthError(.invalidGrant, "The refresh token is invalid."))
    }
    let access = try await mintRecordingFailure(
      userID: grant.userID, clientID: client.id, resource: successor.resource, scopes: scopes,
      at: now, source: source)
    if retried {
      await audit(
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
}

/// A value a store closure saw inside its transaction, handed back to the caller.
final class WrittenInTransaction<Value: Sendable>: Sendable {
  private let stored = Mutex<Value?>(nil)

  func keep(_ value: Value) { stored.withLock { $0 = value } }

  var value: Value? { stored.withLock { $0 } }
}
