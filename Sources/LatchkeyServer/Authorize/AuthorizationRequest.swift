/// The parameters of an authorization request as received (OAuth 2.1 §4.1.1) in the query of
/// `GET /authorize`, or as the interaction record keeps them (`encoded`).
struct AuthorizationRequest: Sendable, Equatable {
  /// The parameters carried from page to page; anything else the client sent is dropped.
  static let parameterNames = [
    "response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
    "code_challenge_method", "prompt", "max_age", "login_hint",
  ]
  /// A longer `login_hint` is ignored: it is only a hint, and an email address has at most 254
  /// characters (RFC 5321 §4.5.3.1).
  static let maximumLoginHintLength = 256

  var responseType: String?
  var clientID: String?
  var redirectURI: String?
  var scope: String?
  var state: String?
  var codeChallenge: String?
  var codeChallengeMethod: String?
  /// OpenID Connect Core §3.1.2.1, which MCP clients send: `none`, `login`, `consent`.
  var prompt: String?
  /// OpenID Connect Core §3.1.2.1: the longest time since the user signed in, in seconds.
  var maxAge: String?
  /// OpenID Connect Core §3.1.2.1: who the client thinks will sign in; passed on to the
  /// identity provider and used to pick one by email domain (`UpstreamProviderChoice`).
  var loginHint: String?
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
    prompt = form["prompt"]
    maxAge = form["max_age"]
    loginHint = form["login_hint"].flatMap {
      $0.isEmpty || $0.utf8.count > Self.maximumLoginHintLength ? nil : $0
    }
    resources = form.resources
    duplicated = form.duplicated.flatMap { Self.parameterNames.contains($0) ? $0 : nil }
  }

  /// The request form-encoded, in a stable order, as the interaction record keeps it; parsing
  /// it with `FormBody` gives the same request back.
  var encoded: String {
    let named: [(String, String?)] = [
      ("response_type", responseType), ("client_id", clientID), ("redirect_uri", redirectURI),
      ("scope", scope), ("state", state), ("code_challenge", codeChallenge),
      ("code_challenge_method", codeChallengeMethod), ("prompt", prompt), ("max_age", maxAge),
      ("login_hint", loginHint),
    ]
    let pairs =
      named.compactMap { name, value in value.map { (name, $0) } }
      + resources.map { ("resource", $0) }
    return pairs.map { name, value in
      name + "=" + AuthorizationResponse.percentEncode(value)
    }.joined(separator: "&")
  }
}
