/// A successful token response (OAuth 2.1 §3.2.3).
public struct OAuthTokens: Sendable {
  public var accessToken: String
  public var tokenType: String
  public var expiresIn: Int?
  public var refreshToken: String?
  public var scope: String?

  init(_ response: TestHTTPResponse) throws {
    guard response.status == 200 else {
      throw OAuthTestError.unexpectedResponse(status: response.status, body: response.text)
    }
    let json = try response.json()
    guard let accessToken = json["access_token"] as? String,
      let tokenType = json["token_type"] as? String
    else { throw OAuthTestError.missing("access_token in \(response.text)") }
    self.accessToken = accessToken
    self.tokenType = tokenType
    expiresIn = json["expires_in"] as? Int
    refreshToken = json["refresh_token"] as? String
    scope = json["scope"] as? String
  }
}
