import LatchkeyCore

/// One grant type at the token endpoint (OAuth 2.1 §3.2.2, §4): reads its parameters from the
/// form of an authenticated client that may use it, checks them against what the store holds,
/// and answers with tokens or a refusal.
///
/// A new grant (`client_credentials`, token exchange) is a `GrantType` case, one type
/// conforming to this protocol in its own file, and one entry in `GrantRegistry.standard`.
protocol GrantHandler: Sendable {
  /// The `grant_type` this handler serves.
  var grantType: GrantType { get }

  /// Handles one token request. Every refusal is `.failure` (one channel); only an unexpected
  /// failure (the store, signing) throws, and the endpoint answers it without details.
  func exchange(
    _ form: FormBody, client: Client, source: String?, server: AuthorizationServer
  ) async throws -> Result<TokenResponse, OAuthError>
}

/// The grant handlers the token endpoint dispatches to, by `grant_type`; discovery's
/// `grant_types_supported` and the `latchkey_tokens_issued_total` series come from it.
struct GrantRegistry: Sendable {
  /// The grants Latchkey serves.
  static let standard = GrantRegistry([
    AuthorizationCodeGrant(), RefreshTokenGrant(), ClientCredentialsGrant(),
  ])

  private let handlers: [any GrantHandler]

  init(_ handlers: [any GrantHandler]) {
    self.handlers = handlers
  }

  /// The handler of `grantType`, or nil when none is registered (`unsupported_grant_type`).
  func handler(for grantType: GrantType) -> (any GrantHandler)? {
    handlers.first { $0.grantType == grantType }
  }

  /// The grant types served, in registration order.
  var grantTypes: [GrantType] { handlers.map(\.grantType) }
}

/// Checks a token request shares with every grant that names a resource.
enum TokenRequestBinding {
  /// RFC 8707 §2.2: a token request may name the resource again; it must be the one the grant
  /// is for (Latchkey grants cover exactly one resource).
  static func resourceMismatch(_ requested: [String], authorized: String) -> OAuthError? {
    guard !requested.isEmpty else { return nil }
    // The usual case, the very string that was authorized, needs no URL parsing.
    if requested.count == 1, requested[0] == authorized { return nil }
    let canonical = ResourceIndicatorRule.canonicalize(authorized)
    guard requested.count == 1, let asked = ResourceIndicatorRule.canonicalize(requested[0]),
      asked == canonical
    else {
      return OAuthError(.invalidTarget, "The resource does not match the authorization.")
    }
    return nil
  }
}
