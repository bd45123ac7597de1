import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE

extension AuthorizationServer {
  /// The same words for a wrong password, an unknown user and a disabled account, so the page
  /// does not tell which usernames exist.
  static let loginFailedMessage = "Wrong username or password."
  static let loginThrottledNote = "Too many failed attempts. Try again later."

  /// The login form: password checked with the stored scrypt hash; failures counted by the
  /// back-off (`LoginThrottle`: per device for a browser trusted for the account, else per
  /// account and source, per source, per account) and audited; success starts a session,
  /// trusts the browser for the account, binds the interaction to the user and continues to
  /// consent.
  func logIn(
    form: FormBody, _ validated: ValidatedAuthorizationRequest, interaction: InteractionRequest
  ) async throws -> Response {
    let username = form["username"] ?? ""
    let password = form["password"] ?? ""
    let now = clock.now()
    var event = AuditEvent(
      time: now, type: "login.failed", outcome: .failure, clientID: validated.client.id,
      resource: validated.resource.url, sourceAddress: interaction.source)
    let throttle = self.interaction.throttle
    let counters = try await throttle.counters(
      username: username, source: interaction.source, deviceToken: interaction.deviceToken,
      at: now)
    if let refusal = try await throttle.refusal(counters, at: now) {
      event.type = "login.throttled"
      event.detail = "limit \(refusal.limit.rawValue)"
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
      let opened = try await throttle.recordFailure(counters, at: now)
      metrics.recordLoginFailure(.invalidCredentials)
      event.userID = user?.id
      event.detail = user == nil ? "unknown user" : (verified ? "user disabled" : "wrong password")
      await audit(event)
      for window in opened {
        var lockout = event
        lockout.type = "login.lockout"
        lockout.detail =
          "limit \(window.limit.rawValue) for \(Int(window.until.timeIntervalSince(now))) s"
        await audit(lockout)
      }
      return loginPage(
        validated, interaction: interaction, username: username,
        message: Self.loginFailedMessage)
    }
    let deviceToken = interaction.deviceToken ?? SecureRandom.token()
    try await throttle.recordSuccess(
      counters, username: username, deviceToken: deviceToken, at: now)
    event.type = "login.succeeded"
    event.outcome = .success
    event.userID = user.id
    await audit(event)
    var response = try await completeSignIn(
      userID: user.id, validated, interaction: interaction, at: now)
    response.setCookie(interactionCookies.deviceCookie(deviceToken))
    return response
  }
}
