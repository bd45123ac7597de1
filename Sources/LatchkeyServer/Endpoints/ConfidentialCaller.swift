import Hummingbird
import LatchkeyCore

/// `confidentialCaller`'s answer.
enum ConfidentialCall {
  case authenticated(form: FormBody, caller: Client)
  /// The answer to send instead.
  case refused(Response)
}

extension AuthorizationServer {
  /// The form of a request to an endpoint only resource servers call (`/introspect`,
  /// `/upstream-token`) and the confidential client that sent it (RFC 7662 §2.1: the caller
  /// must authenticate). The refusal, when there is one, is the answer to send: the form's own
  /// errors, `invalid_client` for bad credentials (with a Basic challenge when Basic was
  /// tried) or for a public client, saying `purpose` needs client authentication.
  func confidentialCaller(
    _ request: Request, context: LatchkeyRequestContext, purpose: String
  ) async throws -> ConfidentialCall {
    let form: FormBody
    switch try await readForm(request, context: context) {
    case .success(let parsed): form = parsed
    case .failure(let error): return .refused(Responses.oauthError(error))
    }
    if let duplicate = form.duplicationError { return .refused(Responses.oauthError(duplicate)) }
    let challenge = request.headers[.authorization] != nil
    if let malformed = form.controlCharacterError {
      return .refused(Responses.oauthError(malformed, basicChallenge: challenge))
    }
    switch try await authenticateClient(form: form, headers: request.headers) {
    case .success(let authenticated)
    where authenticated.client.tokenEndpointAuthMethod.isConfidential:
      return .authenticated(form: form, caller: authenticated.client)
    case .success:
      return .refused(
        Responses.oauthError(
          OAuthError(.invalidClient, "\(purpose) requires client authentication.")))
    case .failure(let error):
      return .refused(Responses.oauthError(error, basicChallenge: challenge))
    }
  }
}
