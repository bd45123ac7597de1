import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE

extension AuthorizationServer {
  /// The login page's button for a `github` provider (GitHub REST "Authorizing OAuth apps"
  /// step 1, the same for GitHub Apps' user authorization): the browser goes to
  /// `<base>/login/oauth/authorize` with `response_type=code` (RFC 6749 §4.1.1 requires it;
  /// GitHub ignores it, other OAuth 2.0 servers in GitHub's shape refuse without it),
  /// `client_id`, Latchkey's fixed callback as
  /// `redirect_uri`, `scope`, a random `state` and our PKCE S256 challenge (RFC 7636 §4.2;
  /// GitHub accepts PKCE for OAuth apps and GitHub Apps). GitHub has no `nonce`: it issues no
  /// id_token. The MCP client's `login_hint` goes on as GitHub's `login` ("suggests a specific
  /// account") when it is a GitHub login; an email hint is not one and is not sent. The browser
  /// keeps the other half in `UpstreamLoginCookie`, as for `oidc`.
  func startGitHubLogin(
    _ provider: IdentityProviders.Provider, interactionID: String, loginHint: String?,
    at now: Date
  ) -> Response {
    let configuration = provider.configuration
    let cookie = UpstreamLoginCookie(
      state: SecureRandom.token(), verifier: SecureRandom.token(), nonce: "",
      interaction: interactionID, provider: configuration.id,
      started: Int64(now.timeIntervalSince1970))
    var response = AuthorizationResponse.redirect(
      to: GitHubEndpoints(baseURL: configuration.baseURL).authorize,
      parameters: [
        ("response_type", "code"), ("client_id", configuration.clientID),
        ("redirect_uri", upstreamRedirectURI(configuration.id)),
        ("scope", configuration.scopes.joined(separator: " ")), ("state", cookie.state),
        ("code_challenge", PKCE.s256Challenge(verifier: cookie.verifier)),
        ("code_challenge_method", "S256"),
      ] + (loginHint.flatMap { GitHubNames.isLogin($0) ? [("login", $0)] : nil } ?? []))
    response.setCookie(interactionCookies.upstreamCookie(cookie))
    return response
  }
}
