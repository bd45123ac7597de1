import Foundation
import HTTPTypes
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE
import NIOCore

extension AuthorizationServer {
  /// `POST /token` (OAuth 2.1 §3.2): form-encoded, JSON answers with `Cache-Control: no-store`.
  ///
  /// Checks, in order: POST, the form (`readForm`, duplicates, control characters), client
  /// authentication (`authenticateClient`), `grant_type` known to `GrantRegistry` (else
  /// `unsupported_grant_type`) and registered for the client (else `unauthorized_client`);
  /// then the grant's `GrantHandler` (`AuthorizationCodeGrant`, `RefreshTokenGrant`). Every
  /// refusal is a JSON OAuth error; an unexpected failure is `temporarily_unavailable` or
  /// `server_error` without details, never a 500.
  func token(_ request: Request, context: LatchkeyRequestContext) async -> Response {
    let source = context.sourceAddress
    do {
      guard request.method == .post else {
        return Responses.oauthError(OAuthError(.invalidRequest, "Use POST."))
      }
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
      let authenticated: AuthenticatedClient
      switch try await authenticateClient(form: form, headers: request.headers) {
      case .success(let client): authenticated = client
      case .failure(let error):
        await audit(
          AuditEvent(
            time: clock.now(), type: "client.authentication_failed", outcome: .failure,
            clientID: form["client_id"], sourceAddress: source, detail: error.code.rawValue))
        return Responses.oauthError(error, basicChallenge: request.headers[.authorization] != nil)
      }
      guard let grantTypeValue = form["grant_type"] else {
        return Responses.oauthError(OAuthError(.invalidRequest, "grant_type is required."))
      }
      guard let grantType = GrantType(rawValue: grantTypeValue),
        let handler = GrantRegistry.standard.handler(for: grantType)
      else {
        return Responses.oauthError(
          OAuthError(.unsupportedGrantType, "The grant type is not supported."))
      }
      let client = authenticated.client
      guard client.grantTypes.contains(grantType) else {
        return Responses.oauthError(
          OAuthError(.unauthorizedClient, "The client may not use this grant type."))
      }
      switch try await handler.exchange(form, client: client, source: source, server: self) {
      case .success(let response):
        metrics.recordTokensIssued(grantType: grantType)
        try await noteClientUse(client)
        return Responses.json(bytes: response.json)
      case .failure(let error):
        return Responses.oauthError(error)
      }
    } catch {
      return Responses.oauthError(unexpected(error, in: "token endpoint"))
    }
  }

  /// Reads a form body; wrong content type or size → `invalid_request`.
  func readForm(_ request: Request, context: LatchkeyRequestContext) async throws -> Result<
    FormBody, OAuthError
  > {
    let contentType = request.headers[.contentType]?.lowercased() ?? ""
    guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
      return .failure(
        OAuthError(.invalidRequest, "The body must be application/x-www-form-urlencoded."))
    }
    let buffer: ByteBuffer
    do {
      buffer = try await request.body.collect(upTo: context.maxUploadSize)
    } catch {
      return .failure(OAuthError(.invalidRequest, "The request body is too large."))
    }
    guard let form = FormBody.parse(buffer.readableBytesView) else {
      return .failure(OAuthError(.invalidRequest, "The request body is not valid form encoding."))
    }
    return .success(form)
  }

  /// Records the client's last use at most hourly, so idle expiry knows it is alive without a
  /// write on every request.
  func noteClientUse(_ client: Client) async throws {
    let now = clock.now()
    if let last = client.lastUsedAt, now.timeIntervalSince(last) < 3600 { return }
    try await store.recordClientUse(id: client.id, at: now)
  }
}
