/// The successful token response of OAuth 2.1 §3.2.3.
struct TokenResponse: Encodable, Sendable {
  let accessToken: String
  let tokenType = "Bearer"
  let expiresIn: Int
  let refreshToken: String?
  let scope: String

  enum CodingKeys: String, CodingKey {
    case accessToken = "access_token"
    case tokenType = "token_type"
    case expiresIn = "expires_in"
    case refreshToken = "refresh_token"
    case scope
  }
}
