/// RFC 7591 §2 / RFC 6749 §4 `grant_type` values Latchkey serves at its token endpoint.
///
/// The raw values are the registered strings: stores persist them as they are and registration
/// metadata carries them unchanged. A string that is no case here is refused where it enters
/// (`ClientMetadataRule`, with the message naming it; `unsupported_grant_type` at the token
/// endpoint), so nothing behind those edges handles grant types as free text.
public enum GrantType: String, Sendable, Codable, CaseIterable, Hashable {
  /// OAuth 2.1 §4.1: the code returned by `/authorize`, redeemed with its PKCE verifier.
  case authorizationCode = "authorization_code"
  /// OAuth 2.1 §4.3: a refresh token, rotated on every use.
  case refreshToken = "refresh_token"
  /// OAuth 2.1 §4.2: a confidential client's own credentials, no user (the MCP "OAuth client
  /// credentials" extension). Never granted through dynamic registration.
  case clientCredentials = "client_credentials"
}
