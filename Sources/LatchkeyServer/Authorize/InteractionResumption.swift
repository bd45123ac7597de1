import Foundation
import Hummingbird
import LatchkeyCore

/// A pending interaction picked up again, or the page that answers instead.
enum InteractionResumption {
  case resumed(StoredInteraction, ValidatedAuthorizationRequest)
  case answered(Response)
}

extension AuthorizationServer {
  /// Picks up the interaction a form or a provider's callback names: it must be pending
  /// (else the "already completed" or "expired" page), started by this browser (its CSRF
  /// cookie; else the "another browser" page), and its stored request must still validate
  /// (else the refusal it gets now). On success the request knows its interaction id.
  func resumeInteraction(
    id: String, _ interaction: inout InteractionRequest, at now: Date
  ) async throws -> InteractionResumption {
    let stored: StoredInteraction
    switch try await self.interaction.interactions.status(id: id, at: now) {
    case .pending(let pending): stored = pending
    case .completed: return .answered(interactionCompletedPage())
    case .expired: return .answered(interactionExpiredPage())
    }
    guard !interaction.csrfTokenIsNew,
      Interactions.isBound(stored, toBrowser: interaction.csrfToken)
    else {
      return .answered(
        errorPage(
          .forbidden, title: "Another browser",
          message:
            "This sign-in request was started in another browser. Go back to your app and start again."
        ))
    }
    interaction.interactionID = id
    guard let parameters = FormBody.parse(Array(stored.parameters.utf8)) else {
      return .answered(interactionExpiredPage())
    }
    switch try await validate(AuthorizationRequest(parameters)) {
    case .success(let validated): return .resumed(stored, validated)
    case .failure(let failure): return .answered(respond(failure))
    }
  }

  /// After a user proved who they are (password or identity provider): Latchkey's own login
  /// session starts, the interaction is bound to the user, and the authorization continues to
  /// consent (`continueAuthorization`); the session cookie goes with the answer.
  func completeSignIn(
    userID: String, _ validated: ValidatedAuthorizationRequest, interaction: InteractionRequest,
    at now: Date
  ) async throws -> Response {
    let sessionID = try await self.interaction.sessions.start(userID: userID, at: now)
    guard let id = interaction.interactionID,
      try await self.interaction.interactions.bind(id: id, userID: userID, at: now)
    else { return interactionCompletedPage() }
    var response = try await continueAuthorization(
      validated, userID: userID, interaction: interaction)
    response.setCookie(interactionCookies.sessionCookie(sessionID))
    return response
  }
}
