import Foundation
import LatchkeyCore

/// Where a `github` provider's endpoints are (GitHub REST "Authorizing OAuth apps"; GitHub
/// Enterprise Server "REST API endpoints": the API at `<base>/api/v3`).
struct GitHubEndpoints: Sendable, Equatable {
  /// The browser is sent here with `client_id`, `redirect_uri`, `scope`, `state` and the PKCE
  /// challenge.
  var authorize: String
  /// The code is exchanged here.
  var accessToken: String
  /// The REST API's root, without a trailing slash.
  var api: String

  /// github.com (API at `https://api.github.com`) without a base URL; otherwise the GitHub
  /// Enterprise Server at `baseURL` (a trailing slash ignored).
  init(baseURL: String?) {
    let web: String
    if let baseURL {
      web = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
      api = web + "/api/v3"
    } else {
      web = IdentityProviderConfiguration.gitHubDotCom
      api = "https://api.github.com"
    }
    authorize = web + "/login/oauth/authorize"
    accessToken = web + "/login/oauth/access_token"
  }

  /// The problem with a GitHub Enterprise Server `base_url`, or nil: an absolute https URL
  /// without query or fragment (http on loopback only, as for issuers: MCP "Communication
  /// Security"), and not github.com itself, whose API is elsewhere.
  static func problem(baseURL: String) -> String? {
    if let problem = IssuerRule.validate(baseURL) {
      return problem.replacingOccurrences(of: "issuer", with: "base_url")
    }
    let host = URLComponents(string: baseURL)?.host?.lowercased() ?? ""
    if host == "github.com" || host == "api.github.com" || host == "www.github.com" {
      return "base_url is for GitHub Enterprise Server; leave it out for github.com"
    }
    return nil
  }
}
