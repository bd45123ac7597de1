import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE

extension AuthorizationServer {
  /// `POST /revoke` (RFC 7009).
  ///
  /// §2.1: the client authenticates (public clients send `client_id`); revoking a refresh token
  /// revokes its whole grant, so access tokens cannot be refreshed again. §2.2: an unknown or
  /// already invalid token, or one issued to another client, is answered 200 without a change
  /// (nothing is revealed). Access tokens are self-contained JWTs that stay valid until `exp`;
  /// presenting one is answered `unsupported_token_type` (§2.2.1) so the client knows it still
  /// lives.
  func revoke(_ request: Request, context: LatchkeyRequestContext) async -> Response {
    let source = context.sourceAddress
    do {
      let form: FormBody
      switch try await readForm(request, context: context) {
      case .success(let parsed): form = parsed
      case .failure(let error): return Responses.oauthError(error)
      }
      if let duplicate = form.duplicationError { return Responses.oauthError(duplicate) }
      if let malformed = form.controlCharacterError {
        return Responses.oauthError(
          malformed, basicChallenge: request.headers[.authorization] != nil)
      }
      let client: Client
      switch try await authenticateClient(form: form, headers: request.headers) {
      case .success(let authenticated): client = authenticated.client
      case .failure(let error):
        return Responses.oauthError(error, basicChallenge: request.headers[.authorization] != nil)
      }
      guard let token = form["token"] else {
        return Responses.oauthError(OAuthError(.invalidRequest, "token is required."))
      }
      let now = clock.now()
      if let record = try await store.refreshToken(hash: SecretHash.of(token)) {
        if record.clientID == client.id,
          try await store.revokeGrant(id: record.grantID, at: now, reason: "revoked_by_client")
        {
          await audit(
            AuditEvent(
              time: now, type: "token.revoked", outcome: .success, clientID: client.id,
              resource: record.resource, scopes: record.scopes, sourceAddress: source,
              detail: "refresh_token"))
        }
        return Responses.json([String: String]())
      }
      if token.split(separator: ".").count == 3 {
        return Responses.oauthError(
          OAuthError(
            .unsupportedTokenType,
            "Access tokens cannot be revoked; they expire on their own. Revoke the refresh token."))
      }
      return Responses.json([String: String]())
    } catch {
      return Responses.oauthError(unexpected(error, in: "revocation"))
    }
  }
}
