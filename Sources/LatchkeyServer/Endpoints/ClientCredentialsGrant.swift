import Foundation
import LatchkeyCore

/// `grant_type=client_credentials` (OAuth 2.1 §4.2; the MCP "OAuth client credentials"
/// authorization extension): a confidential client gets an access token for itself, no user.
///
/// The client authenticated already (the endpoint's `authenticateClient`); a public client is
/// refused here (§4.2: only confidential clients). RFC 8707 `resource` names the resource (it
/// may be omitted only when exactly one exists); the scopes are the requested ones within what
/// the client may have there (`ScopeRule.resolveForClient`). The token's `sub` and `client_id`
/// are both the client's id (RFC 9068 §2.2); there is no refresh token and no grant record: the
/// client asks again (lifetime `tokens.client_credentials_access_token`).
struct ClientCredentialsGrant: GrantHandler {
  let grantType = GrantType.clientCredentials

  func exchange(
    _ form: FormBody, client: Client, source: String?, server: AuthorizationServer
  ) async throws -> Result<TokenResponse, OAuthError> {
    guard client.tokenEndpointAuthMethod.isConfidential else {
      return .failure(
        OAuthError(
          .unauthorizedClient, "Only confidential clients may use the client credentials grant."))
    }
    let resource: Resource
    switch ResourceIndicatorRule.resolve(
      requested: form.resources, registered: try await server.store.resources())
    {
    case .success(let resolved): resource = resolved
    case .failure(let error): return .failure(error)
    }
    var requested: ScopeSet?
    if let scope = form["scope"] {
      guard let parsed = ScopeSet(parameter: scope) else {
        return .failure(OAuthError(.invalidScope, "The scope parameter is malformed."))
      }
      requested = parsed
    }
    let scopes: ScopeSet
    switch ScopeRule.resolveForClient(requested: requested, resource: resource, client: client) {
    case .success(let resolved): scopes = resolved
    case .failure(let error): return .failure(error)
    }
    let now = server.clock.now()
    let lifetime = server.configuration.tokens.clientCredentialsAccessToken
    let access = try await server.mintAccessToken(
      userID: client.id, clientID: client.id, resource: resource.url, scopes: scopes, at: now,
      source: source, lifetime: lifetime)
    await server.audit(
      AuditEvent(
        time: now, type: "token.issued", outcome: .success, clientID: client.id,
        resource: resource.url, scopes: scopes, sourceAddress: source,
        detail: "client_credentials"))
    return .success(
      TokenResponse(
        accessToken: access.token, expiresIn: access.expiresIn, refreshToken: nil,
        scope: scopes.parameter))
  }
}
