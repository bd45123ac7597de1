import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// `private_key_jwt` to the provider's token endpoint (RFC 7523 §2.2, §3; OpenID Connect
/// Core §9): instead of a client secret, a short JWT signed with Latchkey's private key for
/// this provider, whose public key the operator registered at the provider.
enum UpstreamClientAssertion {
  /// RFC 7523 §2.2: the `client_assertion_type` of a JWT client assertion.
  static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
  /// Seconds an assertion lives: well inside the 5 minutes providers (and Latchkey itself)
  /// accept, enough for clock skew and one request.
  static let lifetime: Int64 = 120

  /// RFC 7523 §3 and OpenID Connect Core §9: `iss` and `sub` the client id, `aud` the token
  /// endpoint (or the issuer, `assertion_audience`) as a single string, a random `jti`, `iat`
  /// now and `exp` `lifetime` later; the header names the key (`kid`: `key_id`, else the key's
  /// RFC 7638 thumbprint) and `typ: JWT`.
  static func claims(clientID: String, audience: String, now: Int64) -> JWTClaims {
    JWTClaims(
      iss: clientID, sub: clientID, aud: .one(audience), exp: now + lifetime, iat: now,
      jti: SecureRandom.token(byteCount: 16))
  }

  /// The signed assertion. Never logged: it authenticates Latchkey until it expires.
  static func sign(
    clientID: String, audience: String, key: SigningKey, keyID: String?, now: Int64
  ) throws -> String {
    let claims = claims(clientID: clientID, audience: audience, now: now)
    let header = JOSEHeader(alg: key.algorithm.rawValue, typ: "JWT", kid: keyID ?? key.keyID)
    return try JWS.sign(
      payload: Array(try JSONEncoder().encode(claims)), header: header, key: key)
  }

  /// The private key of `path`: refused unless the file is readable by its owner only (mode
  /// 0600 or narrower, like Latchkey's database holding its own signing keys) and holds an
  /// unencrypted PEM EC P-256 (ES256) or RSA (RS256, at least 2048 bits) private key.
  static func loadKey(path: String) -> Result<SigningKey, KeyFileProblem> {
    var info = stat()
    guard stat(path, &info) == 0 else { return .failure(.unreadable) }
    let mode = info.st_mode & 0o777
    guard mode & 0o077 == 0 else { return .failure(.tooOpen(mode: mode)) }
    guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else {
      return .failure(.unreadable)
    }
    for algorithm in [JWSAlgorithm.es256, .rs256] {
      if let key = try? SigningKey(privateKeyPEM: pem, algorithm: algorithm) {
        return .success(key)
      }
    }
    return .failure(.notAKey)
  }

  enum KeyFileProblem: Error, Equatable {
    case unreadable
    case tooOpen(mode: mode_t)
    case notAKey

    /// The sentence after `private_key_file <path>`; never any of the file's content.
    var description: String {
      switch self {
      case .unreadable: "cannot be read"
      case .tooOpen(let mode):
        "has mode \(String(mode, radix: 8)), wider than 600; run chmod 600 on it"
      case .notAKey: "is not an unencrypted PEM EC P-256 or RSA (2048 bits or more) private key"
      }
    }
  }
}

extension IdentityProviderConfiguration {
  /// What keeps this provider's client credential from being read at start, or nil: for
  /// `private_key_jwt` the key file (`UpstreamClientAssertion.loadKey`), otherwise the client
  /// secret (`clientSecret(environment:)`). `serve` stops with exit code 64 on it.
  public func credentialProblem(environment: [String: String]) -> String? {
    let name = "identity provider \"\(id)\""
    if tokenEndpointAuthMethod == .privateKeyJWT, let path = privateKeyFile {
      if case .failure(let problem) = UpstreamClientAssertion.loadKey(path: path) {
        return "\(name): private_key_file \(path) \(problem.description)"
      }
      return nil
    }
    return clientSecret(environment: environment) == nil
      ? "\(name): the client secret cannot be read" : nil
  }
}

extension IdentityProviders.Provider {
  /// How Latchkey authenticates at this provider's token endpoint (OpenID Connect Core §9),
  /// as form members and an `Authorization` header: `client_secret_basic` (RFC 6749 §2.3.1:
  /// both parts form-urlencoded first), `client_secret_post`, or `private_key_jwt` (RFC 7523
  /// §2.2: `client_id`, `client_assertion_type` and a fresh `client_assertion` whose `aud` is
  /// `tokenEndpoint` or the issuer).
  func clientAuthentication(tokenEndpoint: String, at now: Date) throws -> (
    form: [(String, String)], authorization: String?
  ) {
    let clientID = configuration.clientID
    switch configuration.tokenEndpointAuthMethod {
    case .clientSecretBasic:
      let pair =
        AuthorizationResponse.percentEncode(clientID) + ":"
        + AuthorizationResponse.percentEncode(clientSecret)
      return ([], "Basic " + Data(pair.utf8).base64EncodedString())
    case .clientSecretPost:
      return ([("client_id", clientID), ("client_secret", clientSecret)], nil)
    case .privateKeyJWT:
      guard let key = assertionKey else { throw JOSEKeyError.invalidPEM }
      let audience =
        configuration.effectiveAssertionAudience == .issuer
        ? configuration.issuer : tokenEndpoint
      let assertion = try UpstreamClientAssertion.sign(
        clientID: clientID, audience: audience, key: key, keyID: configuration.keyID,
        now: Int64(now.timeIntervalSince1970))
      return (
        [
          ("client_id", clientID),
          ("client_assertion_type", UpstreamClientAssertion.assertionType),
          ("client_assertion", assertion),
        ], nil
      )
    }
  }
}
