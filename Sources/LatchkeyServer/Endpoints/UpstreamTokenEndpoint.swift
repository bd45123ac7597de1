import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE

/// The answer of `POST /upstream-token`, shaped like an RFC 7662 §2.2 introspection response.
struct UpstreamTokenEndpointResponse: Encodable, Sendable {
  var active: Bool
  var accessToken: String?
  var tokenType: String?
  var expiresIn: Int64?
  var scope: String?
  var provider: String?
  /// Why `active` is false for a valid Latchkey token: `no_upstream_token`,
  /// `upstream_token_unreadable` or `upstream_refresh_failed` (never more detail).
  var reason: String?

  static let inactive = UpstreamTokenEndpointResponse(active: false)

  enum CodingKeys: String, CodingKey {
    case active, scope, provider, reason
    case accessToken = "access_token"
    case tokenType = "token_type"
    case expiresIn = "expires_in"
  }
}

extension AuthorizationServer {
  /// `POST /upstream-token`: for an MCP server that is not in this process, the identity
  /// provider's access token behind a Latchkey access token it received (the token vault,
  /// docs/identity-providers.md). Like introspection (RFC 7662 §2.1) the caller authenticates
  /// as a confidential client; unlike it, the caller must also be listed in
  /// `token_vault.readers` for the token's resource — an upstream token is worth more than a
  /// yes/no. The Latchkey token must verify (signature, issuer, expiry, `at+jwt`); the answer
  /// is never cached and never logged.
  func upstreamToken(_ request: Request, context: LatchkeyRequestContext) async -> Response {
    do {
      let (form, caller): (FormBody, Client)
      switch try await confidentialCaller(
        request, context: context, purpose: "Reading upstream tokens")
      {
      case .authenticated(let parsed, let client): (form, caller) = (parsed, client)
      case .refused(let refusal): return refusal
      }
      guard let token = form["token"], !token.isEmpty else {
        return Responses.oauthError(OAuthError(.invalidRequest, "token is required."))
      }
      let now = clock.now()
      let described = try await introspectAccessToken(token, now: now)
      guard described.active, let userID = described.sub, let clientID = described.clientID,
        let resource = described.aud, userID != clientID
      else { return Responses.json(UpstreamTokenEndpointResponse.inactive) }
      guard
        configuration.tokenVault.readers.contains(where: {
          $0.clientID == caller.id && $0.resource == resource
        })
      else {
        await audit(
          AuditEvent(
            time: now, type: "upstream_token.refused", outcome: .failure, userID: userID,
            clientID: caller.id, resource: resource,
            detail: "caller is not a token_vault reader for this resource"))
        return Responses.oauthError(
          OAuthError(
            .unauthorizedClient,
            "This client may not read upstream tokens for the token's resource."))
      }
      switch try await upstreamAccess(
        userID: userID, clientID: clientID, resource: resource, at: now)
      {
      case .success(let access):
        await audit(
          AuditEvent(
            time: now, type: "upstream_token.read", outcome: .success, userID: userID,
            clientID: clientID, resource: resource,
            detail: "provider \(access.provider), read by \(caller.id)"))
        return Responses.json(
          UpstreamTokenEndpointResponse(
            active: true, accessToken: access.accessToken, tokenType: access.tokenType,
            expiresIn: access.expiresAt.map { max(0, $0 - Int64(now.timeIntervalSince1970)) },
            scope: access.scope, provider: access.provider))
      case .failure(let refusal):
        await audit(
          AuditEvent(
            time: now, type: "upstream_token.unavailable", outcome: .failure, userID: userID,
            clientID: clientID, resource: resource, detail: refusal.detail))
        return Responses.json(
          UpstreamTokenEndpointResponse(active: false, reason: refusal.reasonCode))
      }
    } catch {
      return Responses.oauthError(unexpected(error, in: "upstream token"))
    }
  }
}

extension UpstreamAccessRefusal {
  var reasonCode: String {
    switch self {
    case .none: "no_upstream_token"
    case .unreadable: "upstream_token_unreadable"
    case .refreshFailed: "upstream_refresh_failed"
    }
  }
}
