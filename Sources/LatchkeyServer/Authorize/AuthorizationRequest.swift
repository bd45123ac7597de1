/// The parameters of an authorization request as received (OAuth 2.1 §4.1.1), from the query of
/// `GET /authorize` or from the hidden fields the login and consent forms post back.
struct AuthorizationRequest: Sendable, Equatable {
  /// The parameters carried from page to page; anything else the client sent is dropped.
  static let parameterNames = [
    "response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
    "code_challenge_method",
  ]

  var responseType: String?
  var clientID: String?
  var redirectURI: String?
  var scope: String?
  var state: String?
  var codeChallenge: String?
  var codeChallengeMethod: String?
  /// RFC 8707 §2: may repeat.
  var resources: [String]
  /// The first parameter sent more than once (OAuth 2.1 §3.1: must not repeat).
  var duplicated: String?

  init(_ form: FormBody) {
    responseType = form["response_type"]
    clientID = form["client_id"]
    redirectURI = form["redirect_uri"]
    scope = form["scope"]
    state = form["state"]
    codeChallenge = form["code_challenge"]
    codeChallengeMethod = form["code_challenge_method"]
    resources = form.resources
    duplicated = form.duplicated.flatMap { Self.parameterNames.contains($0) ? $0 : nil }
  }

  /// The request as hidden form fields, in a stable order, so the login and consent forms carry
  /// it without server-side state (a restart then cancels nothing but the login session).
  var hiddenFields: [HiddenField] {
    let named: [(String, String?)] = [
      ("response_type", responseType), ("client_id", clientID), ("redirect_uri", redirectURI),
      ("scope", scope), ("state", state), ("code_challenge", codeChallenge),
      ("code_challenge_method", codeChallengeMethod),
    ]
    return named.compactMap { name, value in value.map { HiddenField(name: name, value: $0) } }
      + resources.map { HiddenField(name: "resource", value: $0) }
  }
}
