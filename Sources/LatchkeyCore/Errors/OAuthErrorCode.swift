/// Error codes from the OAuth registries that Latchkey puts on the wire.
///
/// RFC 6749 §4.1.2.1 / §5.2 (OAuth 2.1 §4.1.2.1, §3.2.4), RFC 7591 §3.2.2 (registration),
/// RFC 7009 §2.2.1 (revocation), RFC 8707 §2 (`invalid_target`), RFC 6750 §3.1 (bearer).
public enum OAuthErrorCode: String, Sendable, Codable, CaseIterable {
  case invalidRequest = "invalid_request"
  case invalidClient = "invalid_client"
  case invalidGrant = "invalid_grant"
  case unauthorizedClient = "unauthorized_client"
  case unsupportedGrantType = "unsupported_grant_type"
  case invalidScope = "invalid_scope"
  case invalidTarget = "invalid_target"
  case accessDenied = "access_denied"
  case unsupportedResponseType = "unsupported_response_type"
  case invalidRedirectURI = "invalid_redirect_uri"
  case invalidClientMetadata = "invalid_client_metadata"
  case unsupportedTokenType = "unsupported_token_type"
  case invalidToken = "invalid_token"
  case insufficientScope = "insufficient_scope"
  case serverError = "server_error"
  case temporarilyUnavailable = "temporarily_unavailable"
  case slowDown = "slow_down"
  /// OpenID Connect Core §3.1.2.6, for `prompt=none`: the user would have to sign in.
  case loginRequired = "login_required"
  /// OpenID Connect Core §3.1.2.6, for `prompt=none`: the user would have to consent.
  case consentRequired = "consent_required"

  /// The HTTP status a JSON endpoint (token, register, revoke, introspect) answers with.
  /// OAuth 2.1 §3.2.4: 400, except `invalid_client` → 401; RFC 6750 §3.1 for the bearer codes.
  public var httpStatus: Int {
    switch self {
    case .invalidClient, .invalidToken: 401
    case .insufficientScope, .accessDenied: 403
    case .serverError: 500
    case .temporarilyUnavailable: 503
    case .slowDown: 429
    default: 400
    }
  }
}
