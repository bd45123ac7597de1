import Hummingbird
import LatchkeyJOSE

/// What the authorization pages need from one browser request: its CSRF token (reused from the
/// cookie, or fresh), its login session cookie and its source address.
struct InteractionRequest: Sendable {
  var csrfToken: String
  /// The CSRF cookie must be set on the response.
  var csrfTokenIsNew: Bool
  var sessionID: String?
  var source: String?

  init(_ request: Request, context: LatchkeyRequestContext) {
    if let existing = InteractionCookies.csrfToken(in: request) {
      csrfToken = existing
      csrfTokenIsNew = false
    } else {
      csrfToken = SecureRandom.token()
      csrfTokenIsNew = true
    }
    sessionID = InteractionCookies.sessionID(in: request)
    source = context.sourceAddress
  }
}
