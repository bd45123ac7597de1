import Hummingbird

/// Why GitHub's answer was not accepted; `detail` goes to the audit trail and never holds the
/// code, a token or an answer's body.
enum GitHubFailure: Error, Equatable {
  /// GitHub's token endpoint answers 200 with an `error` member (`bad_verification_code`,
  /// `incorrect_client_credentials`, `redirect_uri_mismatch`, …) or another status.
  case tokenRequestRefused(String)
  /// The token answer had no `access_token`.
  case noAccessToken
  /// An API request answered this status (401 bad credentials, 403 forbidden, 5xx).
  case api(path: String, status: Int)
  /// An API request got no answer.
  case apiUnreachable(path: String)
  /// An API answer was not the documented shape.
  case unreadable(path: String)

  var detail: String {
    switch self {
    case .tokenRequestRefused(let reason): "token request refused (\(reason))"
    case .noAccessToken: "no access_token"
    case .api(let path, let status): "GitHub API \(path) answered HTTP \(status)"
    case .apiUnreachable(let path): "GitHub API \(path) unreachable"
    case .unreadable(let path): "GitHub API \(path) answer unreadable"
    }
  }

  /// The pages of `UpstreamIdentityFailure`: "Sign-in provider unavailable" when GitHub refused
  /// the token request, could not be reached or failed (5xx); "Sign-in not accepted" when it
  /// refused the token it issued (401, 403) or answered something unreadable. Both 502.
  func page(_ server: AuthorizationServer, _ name: String) -> Response {
    switch self {
    case .tokenRequestRefused, .apiUnreachable:
      return AuthorizationServer.providerUnreachablePage(server, name)
    case .api(_, let status) where status >= 500:
      return AuthorizationServer.providerUnreachablePage(server, name)
    case .noAccessToken, .api, .unreadable:
      return server.errorPage(
        .badGateway, title: "Sign-in not accepted",
        message:
          "The answer from \(name) could not be verified, so you were not signed in. Go back to your app and start again."
      )
    }
  }
}
