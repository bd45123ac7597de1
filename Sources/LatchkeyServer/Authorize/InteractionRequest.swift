import Hummingbird
import LatchkeyJOSE

/// What the authorization pages need from one browser request: its CSRF token (reused from the
/// cookie, or fresh), its login session and device cookies, its source address, and the
/// interaction it belongs to once started or looked up.
struct InteractionRequest: Sendable {
  var csrfToken: String
  /// The CSRF cookie must be set on the response.
  var csrfTokenIsNew: Bool
  var sessionID: String?
  /// The device cookie (`InteractionCookies.device`), when well formed.
  var deviceToken: String?
  var source: String?
  /// The interaction id the page's form names.
  var interactionID: String?

  init(_ request: Request, context: LatchkeyRequestContext) {
    if let existing = InteractionCookies.csrfToken(in: request) {
      csrfToken = existing
      csrfTokenIsNew = false
    } else {
      csrfToken = SecureRandom.token()
      csrfTokenIsNew = true
    }
    sessionID = InteractionCookies.sessionID(in: request)
    deviceToken = InteractionCookies.deviceToken(in: request)
    source = context.sourceAddress
  }
}
