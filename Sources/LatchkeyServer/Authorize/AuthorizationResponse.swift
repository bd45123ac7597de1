import HTTPTypes
import Hummingbird
import LatchkeyCore

/// Redirects back to the client with the authorization response.
enum AuthorizationResponse {
  /// OAuth 2.1 §4.1.2: the parameters are added to the query of the redirect URI, keeping its
  /// own query. 303 makes the browser GET the redirect URI even after a form POST. RFC 9207 §2:
  /// `iss` is always present.
  static func redirect(to redirectURI: String, parameters: [(String, String?)]) -> Response {
    let query = parameters.compactMap { name, value in
      value.map { "\(name)=\(percentEncode($0))" }
    }.joined(separator: "&")
    let separator = redirectURI.contains("?") ? "&" : "?"
    var headers: HTTPFields = [
      .location: redirectURI + separator + query, .cacheControl: "no-store",
    ]
    headers.append(contentsOf: SecurityHeaders.pages)
    return Response(status: .seeOther, headers: headers)
  }

  /// The successful response: `code`, `state` (echoed), `iss`.
  static func code(_ code: String, for request: ValidatedAuthorizationRequest, issuer: String)
    -> Response
  {
    redirect(
      to: request.redirectURI,
      parameters: [("code", code), ("state", request.state), ("iss", issuer)])
  }

  /// An error response: `error`, `error_description`, `state`, `iss`.
  static func error(_ error: OAuthError, redirectURI: String, state: String?, issuer: String)
    -> Response
  {
    redirect(
      to: redirectURI,
      parameters: [
        ("error", error.code.rawValue), ("error_description", error.publicDescription),
        ("state", state), ("iss", issuer),
      ])
  }

  /// RFC 3986 §2.3: everything but unreserved characters is percent-encoded, so any value
  /// (including `+`, `&`, `=`) survives form-urlencoded parsing on the client.
  static func percentEncode(_ value: String) -> String {
    var out = ""
    for byte in value.utf8 {
      if PercentEncoding.isUnreserved(byte) {
        out.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        out += "%" + PercentEncoding.hex(byte)
      }
    }
    return out
  }
}
