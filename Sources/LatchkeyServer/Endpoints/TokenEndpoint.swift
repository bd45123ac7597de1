import Foundation
import HTTPTypes
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE
import NIOCore

extension AuthorizationServer {
  /// `POST /token` (OAuth 2.1 §3.2): form-encoded, one handler per grant type, JSON answers
  /// with `Cache-Control: no-store`; every refusal is a JSON OAuth error, never a 500.
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
      guard let grantType = form["grant_type"] else {
        return Responses.oauthError(OAuthError(.invalidRequest, "grant_type is required."))
      }
      let client = authenticated.client
      let result: Result<TokenResponse, OAuthError>
      switch grantType {
      case "authorization_code", "refresh_token":
        guard client.grantTypes.contains(grantType) else {
          result = .failure(
            OAuthError(.unauthorizedClient, "The client may not use this grant type."))
          break
        }
        result =
          grantType == "authorization_code"
          ? try await redeemAuthorizationCode(form: form, client: client, source: source)
          : try await refresh(form: form, client: client, source: source)
      default:
        result = .failure(
          OAuthError(.unsupportedGrantType, "The grant type is not supported."))
      }
      switch result {
      case .success(let response):
        metrics.recordTokensIssued(grantType: grantType)
        try await noteClientUse(client)
        return Responses.json(bytes: response.json)
      case .failure(let error):
        return Responses.oauthError(error)
      }
    } catch let error as OAuthError {
      return Responses.oauthError(error)
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
