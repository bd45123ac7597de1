import Foundation

/// The provider's token response (RFC 6749 §5.1) as far as Latchkey keeps it: the tokens the
/// token vault stores encrypted when a provider has `keep_upstream_tokens`. Never logged, never
/// shown, never put in Latchkey's own tokens (no token passthrough).
struct UpstreamTokenResponse: Sendable, Equatable {
  var accessToken: String
  var tokenType: String?
  var refreshToken: String?
  /// Seconds from the answer, when the provider said (`expires_in`).
  var expiresIn: Int?
  var scope: String?

  /// The members of a parsed JSON token response; nil without an `access_token`.
  init?(json object: [String: Any]) {
    guard let accessToken = object["access_token"] as? String, !accessToken.isEmpty else {
      return nil
    }
    self.accessToken = accessToken
    tokenType = object["token_type"] as? String
    refreshToken = (object["refresh_token"] as? String).flatMap { $0.isEmpty ? nil : $0 }
    if let seconds = object["expires_in"] as? Int {
      expiresIn = seconds
    } else if let text = object["expires_in"] as? String {
      expiresIn = Int(text)
    }
    scope = object["scope"] as? String
  }

  init(
    accessToken: String, tokenType: String? = "Bearer", refreshToken: String? = nil,
    expiresIn: Int? = nil, scope: String? = nil
  ) {
    self.accessToken = accessToken
    self.tokenType = tokenType
    self.refreshToken = refreshToken
    self.expiresIn = expiresIn
    self.scope = scope
  }
}

/// Who the provider said signed in, and the tokens it answered with.
struct UpstreamSignInResult: Sendable {
  var identity: UpstreamIdentity
  /// Nil when the answer had no usable `access_token` (then nothing is kept in the vault).
  var tokens: UpstreamTokenResponse?
}
