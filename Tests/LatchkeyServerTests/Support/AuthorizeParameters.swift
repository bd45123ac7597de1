import LatchkeyJOSE
import LatchkeyTestSupport

/// The query of an authorization request; every field may be changed or removed (nil) by a test.
struct AuthorizeParameters: Sendable {
  var path = "/authorize"
  var responseType: String? = "code"
  var clientID: String? = TestAuthorizationServer.clientID
  var redirectURI: String? = TestAuthorizationServer.redirectURI
  var scope: String? = "notes:read"
  var state: String? = "state-" + SecureRandom.token(byteCount: 8)
  var codeVerifier: String
  var codeChallenge: String?
  var codeChallengeMethod: String? = "S256"
  var resources: [String] = [TestAuthorizationServer.resourceURL]
  var prompt: String?
  var maxAge: String?

  init() {
    codeVerifier = SecureRandom.token()
    codeChallenge = PKCE.s256Challenge(verifier: codeVerifier)
  }

  var pairs: [(String, String)] {
    let named: [(String, String?)] = [
      ("response_type", responseType), ("client_id", clientID), ("redirect_uri", redirectURI),
      ("scope", scope), ("state", state), ("code_challenge", codeChallenge),
      ("code_challenge_method", codeChallengeMethod), ("prompt", prompt), ("max_age", maxAge),
    ]
    return named.compactMap { name, value in value.map { (name, $0) } }
      + resources.map { ("resource", $0) }
  }

  var uri: String { path + "?" + FormEncoding.encode(pairs) }
}
