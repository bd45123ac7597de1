/// Why an access token was not accepted. Carries no token material.
public enum TokenRejection: Error, Sendable, Equatable {
  /// Bad signature, unknown key, wrong `alg`/`typ`, malformed: RFC 6750 `invalid_token`.
  case invalid(String)
  /// `exp` has passed (with leeway).
  case expired
  /// `iss` is not the configured issuer.
  case wrongIssuer
  /// `aud` does not name this resource (RFC 8707 §2, MCP "Token Handling").
  case wrongAudience
  /// No keys could be loaded from the issuer (it is down or misconfigured): 503, not 401,
  /// so clients do not throw away good tokens.
  case keysUnavailable
  /// A well-formed API key (`lk_pat_…`) reached a resource server that verifies only JWTs:
  /// keys are checked by RFC 7662 introspection, which needs client credentials at the AS.
  case apiKeysNeedIntrospection

  /// A short reason for logs.
  public var reason: String {
    switch self {
    case .invalid(let why): "invalid token: \(why)"
    case .expired: "token expired"
    case .wrongIssuer: "wrong issuer"
    case .wrongAudience: "wrong audience"
    case .keysUnavailable: "issuer keys unavailable"
    case .apiKeysNeedIntrospection: "API key without introspection"
    }
  }
}
