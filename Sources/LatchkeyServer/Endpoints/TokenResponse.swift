import LatchkeyJOSE

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

  /// The JSON body, members in sorted order (as `Responses.encoder` writes them), written
  /// directly: the token endpoint answers without a `JSONEncoder` pass.
  var json: [UInt8] {
    var writer = JSONWriter(capacity: 768)
    writer.add(CodingKeys.accessToken.rawValue, accessToken)
    writer.add(CodingKeys.expiresIn.rawValue, expiresIn)
    if let refreshToken { writer.add(CodingKeys.refreshToken.rawValue, refreshToken) }
    writer.add(CodingKeys.scope.rawValue, scope)
    writer.add(CodingKeys.tokenType.rawValue, tokenType)
    return writer.finish()
  }
}
