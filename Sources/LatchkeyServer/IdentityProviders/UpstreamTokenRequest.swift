import Foundation
import LatchkeyCore

/// Why a request to a provider's token endpoint got no answer.
enum UpstreamTokenRequestFailure: Error, Equatable {
  /// Latchkey could not make its client authentication (`private_key_jwt` key unusable).
  case clientAuthentication
  /// The endpoint is not a URL, or the provider could not be reached.
  case unreachable
}

extension AuthorizationServer {
  /// One request to a provider's token endpoint (RFC 6749 §4.1.3 for a code, §6 for a
  /// refresh), the same for every caller: the `grant` members, then Latchkey's client
  /// authentication — `oidc`: `Provider.clientAuthentication` (`client_secret_basic`,
  /// `client_secret_post`, `private_key_jwt`); `github`: `client_id` and `client_secret` in the
  /// form and GitHub's `User-Agent` — form-urlencoded, asking for JSON, bounded in size and time.
  func postUpstreamTokenRequest(
    _ provider: IdentityProviders.Provider, tokenEndpoint: String, grant: [(String, String)],
    at now: Date
  ) async -> Result<HTTPFetchResponse, UpstreamTokenRequestFailure> {
    let configuration = provider.configuration
    var form = grant
    var headers = [
      "content-type": "application/x-www-form-urlencoded", "accept": "application/json",
    ]
    if configuration.kind == .github {
      form += [("client_id", configuration.clientID), ("client_secret", provider.clientSecret)]
      headers["user-agent"] = Self.gitHubUserAgent
    } else {
      guard
        let authentication = try? provider.clientAuthentication(
          tokenEndpoint: tokenEndpoint, at: now)
      else { return .failure(.clientAuthentication) }
      form += authentication.form
      headers["authorization"] = authentication.authorization
    }
    let body = form.map { "\($0.0)=\(AuthorizationResponse.percentEncode($0.1))" }
      .joined(separator: "&")
    guard let url = URL(string: tokenEndpoint),
      let response = try? await identityProviders.fetcher.post(
        url, body: Array(body.utf8), headers: headers, maxBytes: Self.upstreamMaximumBytes,
        timeout: 10)
    else { return .failure(.unreachable) }
    return .success(response)
  }
}
