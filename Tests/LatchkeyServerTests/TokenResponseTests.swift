import Foundation
import Testing

@testable import LatchkeyServer

/// The token response is written without `JSONEncoder`; it must be byte for byte what the
/// encoder writes (sorted keys, unescaped slashes), including characters JSON must escape.
@Suite struct TokenResponseTests {
  @Test(arguments: [
    TokenResponse(
      accessToken: "eyJhbGciOiJFUzI1NiJ9.e30.c2ln", expiresIn: 300, refreshToken: "rt-_~",
      scope: "notes:read notes:write"),
    TokenResponse(accessToken: "a", expiresIn: 0, refreshToken: nil, scope: ""),
    TokenResponse(
      accessToken: "quote\" back\\ slash/ tab\t nl\n bell\u{7} é", expiresIn: 86_400,
      refreshToken: "x", scope: "https://example.com/scope"),
  ])
  func writtenBodyEqualsTheEncoders(response: TokenResponse) throws {
    let encoded = try Responses.encoder.encode(response)
    #expect(response.json == Array(encoded))
    let decoded = try JSONSerialization.jsonObject(with: Data(response.json)) as? [String: Any]
    #expect(decoded?["access_token"] as? String == response.accessToken)
    #expect(decoded?["token_type"] as? String == "Bearer")
  }
}
