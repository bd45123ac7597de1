import LatchkeyCore

extension AuthorizationServer {
  /// How unknown scope values are treated (`ScopeTolerance`; default: grant the known subset).
  var scopeTolerance: ScopeTolerance { configuration.scopeTolerance }

  /// The client a `client_id` names.
  ///
  /// An https `client_id` is resolved through its client ID metadata document (fetched, validated
  /// and cached by `MetadataDocumentClients`); any other id must be in the store.
  func resolveClient(id: String) async throws -> Result<Client, OAuthError> {
    if ClientIDMetadataDocumentRule.isMetadataDocumentID(id) {
      return try await metadataDocuments.client(id: id, at: clock.now())
    }
    guard let client = try await store.client(id: id) else {
      return .failure(
        OAuthError(.invalidClient, "The application (client) is not known to this server."))
    }
    return .success(client)
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
    let client: Client
    switch try await resolveClient(id: clientID) {
    case .success(let resolved): client = resolved
    case .failure(let error):
      return .failure(
        .page(.badRequest, title: "Unknown application", message: error.publicDescription))
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
    guard client.grantTypes.contains(.authorizationCode) else {
      return refuse(.unauthorizedClient, "The client may not use the authorization code grant.")
    }
    switch PKCERule.validate(challenge: request.codeChallenge, method: request.codeChallengeMethod)
    {
    case .missingChallenge: return refuse(.invalidRequest, "code_challenge is required.")
    case .unsupportedMethod: return refuse(.invalidRequest, "code_challenge_method must be S256.")
    case .malformedChallenge: return refuse(.invalidRequest, "code_challenge is malformed.")
    case nil: break
    }
    let prompt: PromptRule.Demand
    switch PromptRule.parse(prompt: request.prompt, maxAge: request.maxAge) {
    case .success(let demand): prompt = demand
    case .failure(.unsupportedValue):
      // The value is not echoed: an error reflects nothing the client sent.
      return refuse(
        .invalidRequest, "prompt holds a value other than none, login and consent.")
    case .failure(.noneWithOthers):
      return refuse(.invalidRequest, "prompt=none cannot be combined with other values.")
    case .failure(.malformedMaxAge):
      return refuse(.invalidRequest, "max_age must be a non-negative integer.")
    }
    let resource: Resource
    let registered = try await store.resources()
    let implicit =
      request.resources.isEmpty && registered.count > 1
      ? ResourceIndicatorRule.implicitResource(
        registered: registered, defaultResource: configuration.defaultResource,
        clientOrigins: client.redirectURIs + [client.id])
      : nil
    switch ResourceIndicatorRule.resolve(
      requested: request.resources, registered: registered, implicit: implicit)
    {
    case .success(let resolved): resource = resolved
    case .failure(let error): return refuse(error.code, error.publicDescription)
    }
    var requestedScopes: ScopeSet?
    if let scope = request.scope {
      guard let parsed = ScopeRule.parse(scope, tolerance: scopeTolerance) else {
        return refuse(.invalidScope, "The scope parameter is malformed.")
      }
      requestedScopes = parsed
    }
    let scopes: ScopeResolution
    switch ScopeRule.resolve(
      requested: requestedScopes, resource: resource, client: client, tolerance: scopeTolerance)
    {
    case .success(let resolved): scopes = resolved
    case .failure(let error): return refuse(error.code, error.publicDescription)
    }
    return .success(
      ValidatedAuthorizationRequest(
        request: request, client: client, redirectURI: redirectURI,
        redirectURIWasExplicit: request.redirectURI != nil, state: state,
        codeChallenge: request.codeChallenge ?? "", resource: resource,
        scopes: scopes.granted, droppedScopes: scopes.dropped, prompt: prompt))
  }
}
