import LatchkeyCore

extension AuthorizationServer {
  /// The client a `client_id` names.
  ///
  /// Seam for client ID metadata documents (an https `client_id` whose document is fetched and
  /// cached): today only clients in the store are known.
  func resolveClient(id: String) async throws -> Client? {
    try await store.client(id: id)
  }

  /// OAuth 2.1 §4.1.1 checks, in the order that decides how a refusal travels: client and
  /// redirect URI first (refusals shown as a page, §4.1.2.1), then everything else (refusals
  /// redirected with `state` and `iss`).
  func validate(_ request: AuthorizationRequest) async throws -> Result<
    ValidatedAuthorizationRequest, AuthorizationFailure
  > {
    if let duplicated = request.duplicated {
      return .failure(
        .page(
          .badRequest, title: "Invalid request",
          message: "The parameter \(duplicated) was sent more than once."))
    }
    guard let clientID = request.clientID else {
      return .failure(
        .page(
          .badRequest, title: "Invalid request",
          message: "The request does not name an application (client_id is missing)."))
    }
    guard let client = try await resolveClient(id: clientID) else {
      return .failure(
        .page(
          .badRequest, title: "Unknown application",
          message: "The application (client) is not known to this server."))
    }
    guard
      let redirectURI = RedirectURIRule.resolve(
        requested: request.redirectURI, registered: client.redirectURIs)
    else {
      return .failure(
        .page(
          .badRequest, title: "Invalid redirect URI",
          message: "The redirect URI is not registered for this application."))
    }
    let state = request.state
    func refuse(_ code: OAuthErrorCode, _ description: String) -> Result<
      ValidatedAuthorizationRequest, AuthorizationFailure
    > {
      .failure(
        .redirect(OAuthError(code, description), redirectURI: redirectURI, state: state))
    }
    // OAuth 2.1 §4.1.1: `response_type` is required; only `code` exists in OAuth 2.1.
    guard let responseType = request.responseType else {
      return refuse(.invalidRequest, "response_type is required.")
    }
    guard responseType == "code" else {
      return refuse(.unsupportedResponseType, "Only response_type=code is supported.")
    }
    // OAuth 2.1 §4.1.1 / §7.5.1: the client must be allowed the authorization code grant.
    guard client.grantTypes.contains("authorization_code") else {
      return refuse(.unauthorizedClient, "The client may not use the authorization code grant.")
    }
    switch PKCERule.validate(challenge: request.codeChallenge, method: request.codeChallengeMethod)
    {
    case .missingChallenge: return refuse(.invalidRequest, "code_challenge is required.")
    case .unsupportedMethod: return refuse(.invalidRequest, "code_challenge_method must be S256.")
    case .malformedChallenge: return refuse(.invalidRequest, "code_challenge is malformed.")
    case nil: break
    }
    let resource: Resource
    switch ResourceIndicatorRule.resolve(
      requested: request.resources, registered: try await store.resources())
    {
    case .success(let resolved): resource = resolved
    case .failure(let error): return refuse(error.code, error.publicDescription)
    }
    var requestedScopes: ScopeSet?
    if let scope = request.scope {
      guard let parsed = ScopeSet(parameter: scope) else {
        return refuse(.invalidScope, "The scope parameter is malformed.")
      }
      requestedScopes = parsed
    }
    let scopes: ScopeSet
    switch ScopeRule.resolve(requested: requestedScopes, resource: resource, client: client) {
    case .success(let resolved): scopes = resolved
    case .failure(let error): return refuse(error.code, error.publicDescription)
    }
    return .success(
      ValidatedAuthorizationRequest(
        request: request, client: client, redirectURI: redirectURI,
        redirectURIWasExplicit: request.redirectURI != nil, state: state,
        codeChallenge: request.codeChallenge ?? "", resource: resource, scopes: scopes))
  }
}
