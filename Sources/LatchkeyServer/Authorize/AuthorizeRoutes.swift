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

  /// `GET /authorize` (OAuth 2.1 §4.1.1): validate, then sign in or go on to consent.
  func authorize(_ request: Request, context: LatchkeyRequestContext) async -> Response {
    let interaction = InteractionRequest(request, context: context)
    do {
      guard let query = FormBody.parse(Array((request.uri.query ?? "").utf8)) else {
        return errorPage(
          .badRequest, title: "Invalid request", message: "The request is not valid URL encoding.")
      }
      let validated: ValidatedAuthorizationRequest
      switch try await validate(AuthorizationRequest(query)) {
      case .success(let request): validated = request
      case .failure(let failure): return respond(failure)
      }
      if let userID = try await signedInUser(interaction) {
        return try await continueAuthorization(validated, userID: userID, interaction: interaction)
      }
      return loginPage(validated, interaction: interaction)
    } catch {
      return serverErrorPage(error)
    }
  }

  /// `POST /authorize`: the login form (`username`, `password`) or the consent form
  /// (`decision`), both carrying the authorization request and `csrf_token`.
  func authorizeForm(_ request: Request, context: LatchkeyRequestContext) async -> Response {
    let interaction = InteractionRequest(request, context: context)
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
      let validated: ValidatedAuthorizationRequest
      switch try await validate(AuthorizationRequest(form)) {
      case .success(let request): validated = request
      case .failure(let failure): return respond(failure)
      }
      if let decision = form["decision"] {
        return try await decide(decision, validated, interaction: interaction)
      }
      return try await logIn(form: form, validated, interaction: interaction)
    } catch {
      return serverErrorPage(error)
    }
  }

  /// The user of a live login session, if the browser has one.
  func signedInUser(_ interaction: InteractionRequest) async throws -> String? {
    guard let id = interaction.sessionID else { return nil }
    return try await self.interaction.sessions.session(id: id, at: clock.now())?.userID
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
