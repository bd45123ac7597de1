import HTTPTypes
import LatchkeyCore

/// How a refused authorization request is answered.
enum AuthorizationFailure: Error, Sendable {
  /// OAuth 2.1 §4.1.2.1: while the client or redirect URI is missing, unknown or unregistered,
  /// the user agent must not be redirected; the AS shows the problem itself.
  case page(HTTPResponse.Status, title: String, message: String)
  /// After the client and redirect URI are validated, errors go back to the client
  /// (OAuth 2.1 §4.1.2.1, with `iss` per RFC 9207 §2).
  case redirect(OAuthError, redirectURI: String, state: String?)
}
