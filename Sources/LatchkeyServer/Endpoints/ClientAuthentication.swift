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
  /// (credentials form-urlencoded, RFC 6749 §2.3.1), `client_secret_post`, or `private_key_jwt`
  /// (RFC 7523 §2.2: `client_assertion_type` + `client_assertion`); one method per request;
  /// public clients send only `client_id`. A client must use the method it registered.
  /// Secrets are compared as hashes in constant time; after `client rotate-secret --keep-old`
  /// the previous secret is accepted until its overlap ends. Every failure is
  /// `invalid_client`, without saying which part was wrong.
  func authenticateClient(form: FormBody, headers: HTTPFields) async throws -> Result<
    AuthenticatedClient, OAuthError
  > {
    if form["client_assertion"] != nil || form["client_assertion_type"] != nil {
      guard headers[.authorization] == nil, form["client_secret"] == nil else {
        return .failure(
          OAuthError(.invalidRequest, "Use only one client authentication method."))
      }
      return try await authenticateWithAssertion(form: form)
    }
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
    switch (client.tokenEndpointAuthMethod, secret) {
    case (.none, nil):
      return .success(AuthenticatedClient(client: client, usedBasic: false))
    case (.clientSecretBasic, let secret?), (.clientSecretPost, let secret?):
      guard Self.secretMatches(secret, client: client, at: clock.now()) else { break }
      return .success(AuthenticatedClient(client: client, usedBasic: usedBasic))
    default:
      break
    }
    return .failure(OAuthError(.invalidClient, "Client authentication failed."))
  }

  /// The current secret, or the previous one while its overlap lasts; both compared as hashes
  /// in constant time (both always compared, so timing does not tell which matched).
  static func secretMatches(_ secret: String, client: Client, at now: Date) -> Bool {
    let presented = SecretHash.of(secret)
    let current = client.secretHash.map { ConstantTime.equals(presented, $0) } ?? false
    var previous = false
    if let hash = client.previousSecretHash, let until = client.previousSecretExpiresAt {
      previous = ConstantTime.equals(presented, hash) && now < until
    }
    return current || previous
  }

  /// RFC 7523 §2.2 / §3: a JWT signed with one of the client's registered public keys, its
  /// claims checked by `ClientAssertionRule`, its `jti` accepted once while it lives.
  func authenticateWithAssertion(form: FormBody) async throws -> Result<
    AuthenticatedClient, OAuthError
  > {
    let refused = OAuthError(.invalidClient, "Client authentication failed.")
    guard form["client_assertion_type"] == ClientAssertionRule.assertionType,
      let assertion = form["client_assertion"]
    else {
      return .failure(
        OAuthError(
          .invalidRequest, "client_assertion_type must be \(ClientAssertionRule.assertionType)."))
    }
    // The subject names the client; the signature proves it (RFC 7523 §3 item 2.B).
    guard let unverified = try? JWT.unverifiedParts(assertion),
      let clientID = unverified.claims.sub,
      form["client_id"].map({ $0 == clientID }) ?? true,
      let client = try await store.client(id: clientID),
      client.tokenEndpointAuthMethod == .privateKeyJWT
    else { return .failure(refused) }
    let now = clock.now()
    let keys = await clientKeys.keys(of: client, kid: unverified.header.kid, at: now)
    let seconds = Int64(now.timeIntervalSince1970)
    guard !keys.isEmpty,
      let (_, claims) = try? JWT.verify(
        assertion, keys: StaticKeyResolver(keys),
        validator: JWTValidator(issuer: clientID, audience: nil, leeway: 30), now: seconds),
      ClientAssertionRule.problem(
        claims, clientID: clientID, audiences: [issuerBase + EndpointPath.token, issuer],
        now: seconds, leeway: 30) == nil,
      let jti = claims.jti, let exp = claims.exp
    else { return .failure(refused) }
    let first = try await ephemeral.recordClientAssertion(
      hash: SecretHash.of(clientID + "\n" + jti),
      expiresAt: Date(timeIntervalSince1970: TimeInterval(exp + 30)), at: now)
    guard first else { return .failure(refused) }
    return .success(AuthenticatedClient(client: client, usedBasic: false))
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
