import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE

extension AuthorizationServer {
  /// `/authorize` (GET and the POSTs of the login and consent forms).
  func addAuthorizationRoutes(to router: Router<LatchkeyRequestContext>) {
    let path = RouterPath(authorizePath)
    router.get(path) { request, context in
      await self.authorize(request, context: context)
    }
    router.post(path) { request, context in
      await self.authorizeForm(request, context: context)
    }
  }

  var authorizePath: String { issuerPath + EndpointPath.authorize }

  var interactionCookies: InteractionCookies {
    InteractionCookies(issuer: issuer, issuerPath: issuerPath)
  }

  /// `GET /authorize` (OAuth 2.1 §4.1.1): validate, honour `prompt`/`max_age`, start the
  /// interaction, then sign in or go on to consent.
  func authorize(_ request: Request, context: LatchkeyRequestContext) async -> Response {
    var interaction = InteractionRequest(request, context: context)
    do {
      guard let query = FormBody.parse(Array((request.uri.query ?? "").utf8)) else {
        return errorPage(
          .badRequest, title: "Invalid request", message: "The request is not valid URL encoding.")
      }
      // A control character in any parameter (a NUL after a real client_id) is refused before
      // any lookup: the value is malformed, and the client it names cannot be trusted.
      if let name = query.controlCharacterParameter {
        return errorPage(
          .badRequest, title: "Invalid request",
          message: "The parameter \(Self.knownName(name)) holds a control character.")
      }
      let validated: ValidatedAuthorizationRequest
      switch try await validate(AuthorizationRequest(query)) {
      case .success(let request): validated = request
      case .failure(let failure): return respond(failure)
      }
      let now = clock.now()
      if !validated.droppedScopes.isEmpty {
        await audit(
          AuditEvent(
            time: now, type: "scope.dropped", outcome: .success, clientID: validated.client.id,
            resource: validated.resource.url, scopes: validated.droppedScopes,
            sourceAddress: interaction.source, detail: "requested but not offered; not granted"))
      }
      let session = try await signedInSession(interaction)
      var reusable = session.flatMap { session in
        validated.prompt.acceptsSignIn(
          authenticatedAt: session.expiresAt.addingTimeInterval(-LoginSessions.lifetime), now: now)
          ? session : nil
      }
      if let userID = reusable?.userID, try await sessionKeepsUpstreamTokens(userID: userID) {
        reusable = nil
      }
      if validated.prompt.forbidsInteraction {
        return try await answerWithoutInteraction(
          validated, session: reusable, source: interaction.source)
      }
      interaction.interactionID = try await self.interaction.interactions.start(
        validated.request, browserToken: interaction.csrfToken, userID: reusable?.userID, at: now)
      if let reusable {
        return try await continueAuthorization(
          validated, userID: reusable.userID, interaction: interaction)
      }
      if let provider = directProvider(query["provider"], loginHint: validated.request.loginHint) {
        var response = try await startUpstreamLogin(provider, validated, interaction: interaction)
        if interaction.csrfTokenIsNew {
          response.setCookie(interactionCookies.csrfCookie(interaction.csrfToken))
        }
        return response
      }
      return loginPage(validated, interaction: interaction)
    } catch {
      return serverErrorPage(error)
    }
  }

  /// `prompt=none` (OpenID Connect Core §3.1.2.1): a code when nothing needs the user,
  /// otherwise `login_required` or `consent_required` to the client; never a page.
  func answerWithoutInteraction(
    _ requested: ValidatedAuthorizationRequest, session: StoredLoginSession?, source: String?
  ) async throws -> Response {
    guard let session, let user = try await store.user(id: session.userID), !user.disabled else {
      return AuthorizationResponse.error(
        OAuthError(.loginRequired, "The user must sign in."), redirectURI: requested.redirectURI,
        state: requested.state, issuer: issuer)
    }
    guard
      let validated = try await withUpstreamScopeLimits(
        requested, userID: user.id, source: source)
    else { return noPermittedScopes(requested) }
    let consent = try await store.consent(
      userID: user.id, clientID: validated.client.id, resource: validated.resource.url)
    guard configuration.consent.skipWhenAlreadyGranted,
      validated.scopes.subtracting(consent?.scopes ?? .empty).isEmpty
    else {
      return AuthorizationResponse.error(
        OAuthError(.consentRequired, "The user must approve this request."),
        redirectURI: validated.redirectURI, state: validated.state, issuer: issuer)
    }
    return try await issueCode(validated, userID: user.id, source: source)
  }

  /// `POST /authorize`: the login form (`username`, `password`) or the consent form
  /// (`decision`), both naming their `interaction` and carrying `csrf_token`.
  func authorizeForm(_ request: Request, context: LatchkeyRequestContext) async -> Response {
    var interaction = InteractionRequest(request, context: context)
    do {
      let form: FormBody
      switch try await readForm(request, context: context) {
      case .success(let parsed): form = parsed
      case .failure(let error):
        return errorPage(.badRequest, title: "Invalid request", message: error.publicDescription)
      }
      // Double-submit CSRF check before anything else: nothing is verified or issued for a
      // form that did not come from our own page in this browser.
      guard !interaction.csrfTokenIsNew, let sent = form["csrf_token"],
        ConstantTime.equals(sent, interaction.csrfToken)
      else {
        return errorPage(
          .forbidden, title: "Form expired",
          message: "This form expired or was not sent from this site.")
      }
      if let name = form.controlCharacterParameter {
        return errorPage(
          .badRequest, title: "Invalid request",
          message: "The field \(Self.knownName(name)) holds a control character.")
      }
      guard let id = form["interaction"] else {
        return errorPage(
          .badRequest, title: "Invalid request",
          message: "The form does not name a sign-in request.")
      }
      let stored: StoredInteraction
      let validated: ValidatedAuthorizationRequest
      switch try await resumeInteraction(id: id, &interaction, at: clock.now()) {
      case .resumed(let pending, let request): (stored, validated) = (pending, request)
      case .answered(let page): return page
      }
      if let decision = form["decision"] {
        return try await decide(decision, validated, stored: stored, interaction: interaction)
      }
      if let provider = form["provider"] {
        return try await startUpstreamLogin(provider, validated, interaction: interaction)
      }
      guard configuration.localAccounts else {
        return errorPage(
          .badRequest, title: "Invalid request",
          message: "Sign in with one of the options on the sign-in page.")
      }
      return try await logIn(form: form, validated, interaction: interaction)
    } catch {
      return serverErrorPage(error)
    }
  }

  /// The page for a form whose interaction was decided already: never a second redirect.
  func interactionCompletedPage() -> Response {
    errorPage(
      .badRequest, title: "Already completed",
      message:
        "This sign-in request was already completed. Go back to your app and start again.")
  }

  /// The page for a form whose interaction expired (or never existed).
  func interactionExpiredPage() -> Response {
    errorPage(
      .badRequest, title: "Sign-in request expired",
      message: "This sign-in request expired. Go back to your app and start again.")
  }

  /// A parameter name as a page may show it: one Latchkey reads, else a neutral word (a page
  /// reflects nothing else the client sent).
  static func knownName(_ name: String) -> String {
    let known =
      AuthorizationRequest.parameterNames + [
        "resource", "interaction", "csrf_token", "username", "password", "decision",
      ]
    return known.contains(name) ? name : "(another parameter)"
  }

  /// The user of a live login session, if the browser has one.
  func signedInUser(_ interaction: InteractionRequest) async throws -> String? {
    try await signedInSession(interaction)?.userID
  }

  /// The browser's live login session, if it has one.
  func signedInSession(_ interaction: InteractionRequest) async throws -> StoredLoginSession? {
    guard let id = interaction.sessionID else { return nil }
    return try await self.interaction.sessions.session(id: id, at: clock.now())
  }

  func respond(_ failure: AuthorizationFailure) -> Response {
    switch failure {
    case .page(let status, let title, let message):
      errorPage(status, title: title, message: message)
    case .redirect(let error, let redirectURI, let state):
      AuthorizationResponse.error(error, redirectURI: redirectURI, state: state, issuer: issuer)
    }
  }

  /// Anything unexpected: a generic page; the error type goes to the log, never its text. A
  /// store that cannot be reached is a 503 (retrying may work), anything else a 500.
  func serverErrorPage(_ error: any Error) -> Response {
    logger.error("authorization endpoint failed", metadata: ["error": "\(type(of: error))"])
    if case StoreError.unavailable = error {
      return errorPage(
        .serviceUnavailable, title: "Temporarily unavailable",
        message: "The server is busy; try again shortly.")
    }
    return errorPage(
      .internalServerError, title: "Something went wrong",
      message: "The server could not complete the request.")
  }
}
