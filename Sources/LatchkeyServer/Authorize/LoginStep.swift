import Foundation
import Hummingbird
import LatchkeyCore

extension AuthorizationServer {
  /// The same words for a wrong password, an unknown user and a disabled account, so the page
  /// does not tell which usernames exist.
  static let loginFailedMessage = "Wrong username or password."
  static let loginThrottledNote = "Too many failed attempts. Try again later."

  /// The login form: password checked with the stored scrypt hash; failures counted per account
  /// (`LoginThrottle`) and audited; success starts a session and continues to consent.
  func logIn(
    form: FormBody, _ validated: ValidatedAuthorizationRequest, interaction: InteractionRequest
  ) async throws -> Response {
    let username = form["username"] ?? ""
    let password = form["password"] ?? ""
    let now = clock.now()
    var event = AuditEvent(
      time: now, type: "login.failed", outcome: .failure, clientID: validated.client.id,
      resource: validated.resource.url, sourceAddress: interaction.source)
    if try await self.interaction.throttle.refusal(for: username, at: now) != nil {
      event.type = "login.throttled"
      metrics.recordLoginFailure(.throttled)
      event.userID = try await store.user(username: username)?.id
      await audit(event)
      return loginPage(
        validated, interaction: interaction, username: username,
        message: Self.loginFailedMessage, note: Self.loginThrottledNote, status: .tooManyRequests)
    }
    let user = try await store.user(username: username)
    let verified: Bool
    if let user {
      verified = passwordHasher.verify(password, against: user.passwordHash)
    } else {
      if let decoy = self.interaction.decoyHash(passwordHasher) {
        _ = passwordHasher.verify(password, against: decoy)
      }
      verified = false
    }
    guard let user, verified, !user.disabled else {
      try await self.interaction.throttle.recordFailure(for: username, at: now)
      metrics.recordLoginFailure(.invalidCredentials)
      event.userID = user?.id
      event.detail = user == nil ? "unknown user" : (verified ? "user disabled" : "wrong password")
      await audit(event)
      return loginPage(
        validated, interaction: interaction, username: username,
        message: Self.loginFailedMessage)
    }
    try await self.interaction.throttle.recordSuccess(for: username)
    event.type = "login.succeeded"
    event.outcome = .success
    event.userID = user.id
    await audit(event)
    let sessionID = try await self.interaction.sessions.start(userID: user.id, at: now)
    var response = try await continueAuthorization(
      validated, userID: user.id, interaction: interaction)
    response.setCookie(interactionCookies.sessionCookie(sessionID))
    return response
  }
}
