import Foundation
import HTTPTypes
import LatchkeyCore
import LatchkeyJOSE

/// The client a token, revocation or introspection request comes from.
struct AuthenticatedClient: Sendable {
  let client: Client
  /// Whether credentials came in the `Authorization` header (changes the 401 challenge).
  let usedBasic: Bool
}

extension AuthorizationServer {
  /// Authenticates the client of a token-endpoint style request.
  ///
  /// OAuth 2.1 §2.4 / §3.2.1: confidential clients authenticate with `client_secret_basic`
  /// (credentials form-urlencoded, RFC 6749 §2.3.1) or `client_secret_post`; one method per
  /// request; public clients send only `client_id`. Secrets are compared as hashes in constant
  /// time. Every failure is `invalid_client`, without saying which part was wrong.
  func authenticateClient(form: FormBody, headers: HTTPFields) async throws -> Result<
    AuthenticatedClient, OAuthError
  > {
    var clientID = form["client_id"]
    var secret = form["client_secret"]
    var usedBasic = false
    if let authorization = headers[.authorization] {
      guard let basic = BasicCredentials(header: authorization) else {
        return .failure(OAuthError(.invalidClient, "Client authentication failed."))
      }
      guard secret == nil else {
        return .failure(
          OAuthError(.invalidRequest, "Use only one client authentication method."))
      }
      if let bodyID = clientID, bodyID != basic.username {
        return .failure(OAuthError(.invalidClient, "Client authentication failed."))
      }
      clientID = basic.username
      secret = basic.password
      usedBasic = true
    }
    guard let clientID else {
      return .failure(OAuthError(.invalidClient, "Client authentication is required."))
    }
    guard let client = try await store.client(id: clientID) else {
      return .failure(OAuthError(.invalidClient, "Client authentication failed."))
    }
    let confidential = client.tokenEndpointAuthMethod.isConfidential
    switch (confidential, secret, client.secretHash) {
    case (false, nil, _):
      return .success(AuthenticatedClient(client: client, usedBasic: false))
    case (true, let secret?, let stored?)
    where ConstantTime.equals(SecretHash.of(secret), stored):
      return .success(AuthenticatedClient(client: client, usedBasic: usedBasic))
    default:
      return .failure(OAuthError(.invalidClient, "Client authentication failed."))
    }
  }
}

/// `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1); an id or
/// secret holding a control character is no credential (RFC 6749 Appendix A, `VSCHAR`).
struct BasicCredentials {
  let username: String
  let password: String

  init?(header: String) {
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "basic",
      let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
      let decoded = String(data: data, encoding: .utf8),
      let colon = decoded.firstIndex(of: ":"),
      let username = FormBody.percentDecode(Array(decoded[..<colon].utf8)),
      let password = FormBody.percentDecode(Array(decoded[decoded.index(after: colon)...].utf8)),
      !username.isEmpty, !ControlCharacterRule.containsControlCharacter(username),
      !ControlCharacterRule.containsControlCharacter(password)
    else { return nil }
    self.username = username
    self.password = password
  }
}
