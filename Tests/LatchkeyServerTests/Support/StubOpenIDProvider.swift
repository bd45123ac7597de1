import Foundation
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyTestSupport
import Synchronization

/// A small OpenID provider on a real loopback socket (`app.test(.live)`), standing in for the
/// django-oauth-toolkit provider issue 23 asks for (not installed on these machines yet): it
/// serves discovery, a JWKS with a real ES256 key, an authorization endpoint that redirects
/// straight back with a code (no login UI), and a token endpoint that checks the client
/// secret (`client_secret_basic` or `client_secret_post`), the redirect URI and the PKCE verifier, and returns an
/// id_token carrying the nonce it was given. `IDTokenShape` lets a test make the id_token wrong
/// in one way; `rotateKey` and `claimedIssuer` play key rotation and a mix-up.
final class StubOpenIDProvider: Sendable {
  static let clientID = "latchkey-at-stub"
  static let clientSecret = "stub-client-secret-0123456789abcdef"

  /// How the next id_tokens are made.
  struct IDTokenShape: Sendable {
    var audience: [String] = [StubOpenIDProvider.clientID]
    var issuer: String?
    var nonce: String?
    var expiresIn: Int64 = 300
    var algorithmNone = false
    var unknownKey = false
    var email = "ada@example.com"
    var emailVerified = true
    var groups = ["mcp-users"]
    var subject = "upstream-subject-42"
    /// `email`, `email_verified` and `groups` only from userinfo, not in the id_token.
    var claimsOnlyInUserinfo = false
    /// The `sub` userinfo answers with, when not the id_token's.
    var userinfoSubject: String?
    /// More claims, e.g. Entra ID's `tid`.
    var extraClaims: [String: String] = [:]
  }

  /// `private_key_jwt` (RFC 7523 §2.2): when set, the token endpoint wants a client assertion
  /// verified with `key`, `iss` = `sub` = the client id, `aud` = `audience` (default: the token
  /// endpoint), at most 5 minutes of life and a `jti` not seen before; and no secret.
  struct AssertionPolicy: Sendable {
    var key: VerificationKey
    var audience: String?
  }

  struct PendingCode: Sendable {
    var redirectURI: String
    var challenge: String
    var nonce: String
  }

  private let keyBox: Mutex<SigningKey>
  let otherKey: SigningKey
  /// The `issuer` the discovery document claims, when not the real one (mix-up tests).
  private let claimedIssuerBox = Mutex<String?>(nil)
  let now: @Sendable () -> Int64
  private let shapeBox = Mutex(IDTokenShape())
  private let codes = Mutex<[String: PendingCode]>([:])
  private let accessTokens = Mutex<Set<String>>([])
  /// How many userinfo requests carried a valid access token.
  let userinfoRequests = Mutex(0)
  private let server = LoopbackTestServer()
  /// What the authorization endpoint answers instead of a code, e.g. `access_denied`.
  private let errorBox = Mutex<String?>(nil)
  /// Every token request's form, for assertions.
  let tokenRequests = Mutex<[[String: String]]>([])
  /// Refresh tokens issued and not yet used (rotated on every refresh, as GitHub Apps and many
  /// providers do).
  private let refreshTokens = Mutex<Set<String>>([])
  /// Answer refresh requests with `invalid_grant` (the user revoked the app upstream).
  let refusesRefresh = Mutex(false)
  /// Every access token issued, oldest first: what the token vault must hand out.
  let issuedAccessTokens = Mutex<[String]>([])
  private let assertionPolicyBox = Mutex<AssertionPolicy?>(nil)
  private let seenAssertionIDs = Mutex<Set<String>>([])
  var assertionPolicy: AssertionPolicy? {
    get { assertionPolicyBox.withLock { $0 } }
    set { assertionPolicyBox.withLock { $0 = newValue } }
  }

  init(now: @escaping @Sendable () -> Int64) throws {
    keyBox = Mutex(try SigningKey.generate(.es256))
    otherKey = try SigningKey.generate(.es256)
    self.now = now
  }

  var issuer: String { server.base }
  /// The key id_tokens are signed with and the JWKS serves.
  var key: SigningKey { keyBox.withLock { $0 } }
  var claimedIssuer: String? {
    get { claimedIssuerBox.withLock { $0 } }
    set { claimedIssuerBox.withLock { $0 = newValue } }
  }

  /// Key rotation: a new signing key, served alone in the JWKS from now on.
  func rotateKey() throws {
    let key = try SigningKey.generate(.es256)
    keyBox.withLock { $0 = key }
  }
  var shape: IDTokenShape {
    get { shapeBox.withLock { $0 } }
    set { shapeBox.withLock { $0 = newValue } }
  }
  var authorizationError: String? {
    get { errorBox.withLock { $0 } }
    set { errorBox.withLock { $0 = newValue } }
  }

  /// Serves the provider on 127.0.0.1 (ephemeral port) while `body` runs, with its issuer.
  func run<Value: Sendable>(_ body: @Sendable (String) async throws -> Value) async throws
    -> Value
  {
    try await server.run(router(), body)
  }

  /// The browser's visit to the authorization endpoint at `location`: returns where the
  /// provider sends it back (the `Location` of its 302).
  func visit(_ location: String) async throws -> String { try await server.visit(location) }

  private func router() -> Router<BasicRequestContext> {
    let router = Router()
    // Also under `/<tenant>/v2.0/`, where Entra ID's discovery documents are.
    router.get("/.well-known/openid-configuration") { _, _ in self.discoveryDocument() }
    router.get("/:tenant/v2.0/.well-known/openid-configuration") { _, _ in
      self.discoveryDocument()
    }
    router.get("/jwks") { _, _ in
      let key = self.key
      var jwk = key.publicKey.jwk
      jwk.kid = key.keyID
      let body = try JSONEncoder().encode(JWKS(keys: [jwk]))
      return Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
    router.get("/authorize") { request, _ in
      let query = Dictionary(
        (URLComponents(string: "http://x/?" + (request.uri.query ?? ""))?.queryItems ?? [])
          .map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
      guard let redirectURI = query["redirect_uri"], let state = query["state"] else {
        return Response(status: .badRequest)
      }
      if let error = self.authorizationError {
        return Self.redirect(redirectURI, [("error", error), ("state", state)])
      }
      guard query["client_id"] == Self.clientID, query["response_type"] == "code",
        query["code_challenge_method"] == "S256", let challenge = query["code_challenge"],
        let nonce = query["nonce"]
      else { return Response(status: .badRequest) }
      let code = SecureRandom.token()
      LeakScan.record([code])
      self.codes.withLock {
        $0[code] = PendingCode(redirectURI: redirectURI, challenge: challenge, nonce: nonce)
      }
      return Self.redirect(redirectURI, [("code", code), ("state", state)])
    }
    router.post("/token") { request, context in
      let buffer = try await request.body.collect(upTo: 64 * 1024)
      let form = Dictionary(
        (URLComponents(string: "http://x/?" + String(buffer: buffer))?.queryItems ?? [])
          .map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
      var recorded = form
      recorded["authorization_header"] = request.headers[.authorization] == nil ? "no" : "yes"
      self.tokenRequests.withLock { $0.append(recorded) }
      // client_secret_basic, or client_secret_post (OpenID Connect Core §9), never both.
      let expected =
        "Basic " + Data("\(Self.clientID):\(Self.clientSecret)".utf8).base64EncodedString()
      let basic = request.headers[.authorization] == expected && form["client_secret"] == nil
      let post =
        request.headers[.authorization] == nil && form["client_id"] == Self.clientID
        && form["client_secret"] == Self.clientSecret
      let authenticated =
        self.assertionPolicy.map {
          self.acceptsAssertion(form, header: request.headers[.authorization], $0)
        } ?? (basic || post)
      guard authenticated else {
        return Self.json(["error": "invalid_client"], status: .unauthorized)
      }
      if form["grant_type"] == "refresh_token" {
        guard !self.refusesRefresh.withLock({ $0 }), let presented = form["refresh_token"],
          self.refreshTokens.withLock({ $0.remove(presented) != nil })
        else { return Self.json(["error": "invalid_grant"], status: .badRequest) }
        return Self.json(self.issueTokens())
      }
      guard let code = form["code"],
        let pending = self.codes.withLock({ $0.removeValue(forKey: code) }),
        form["redirect_uri"] == pending.redirectURI,
        PKCE.s256Challenge(verifier: form["code_verifier"] ?? "") == pending.challenge
      else { return Self.json(["error": "invalid_grant"], status: .badRequest) }
      let idToken = try self.idToken(nonce: pending.nonce)
      LeakScan.record([idToken])
      var answer = self.issueTokens()
      answer["id_token"] = idToken
      return Self.json(answer)
    }
    router.post("/userinfo") { request, _ in
      let header = request.headers[.authorization] ?? ""
      guard header.hasPrefix("Bearer "),
        self.accessTokens.withLock({ $0.contains(String(header.dropFirst(7))) })
      else { return Self.json(["error": "invalid_token"], status: .unauthorized) }
      self.userinfoRequests.withLock { $0 += 1 }
      let shape = self.shape
      return Self.json([
        "sub": shape.userinfoSubject ?? shape.subject, "email": shape.email,
        "email_verified": shape.emailVerified, "groups": shape.groups,
      ])
    }
    return router
  }

  /// A fresh access token (300 s) and refresh token, remembered.
  func issueTokens() -> [String: Any] {
    let accessToken = SecureRandom.token()
    let refreshToken = "stub-refresh-" + SecureRandom.token()
    LeakScan.record([accessToken, refreshToken])
    accessTokens.withLock { _ = $0.insert(accessToken) }
    issuedAccessTokens.withLock { $0.append(accessToken) }
    refreshTokens.withLock { _ = $0.insert(refreshToken) }
    return [
      "access_token": accessToken, "token_type": "Bearer", "expires_in": 300,
      "refresh_token": refreshToken, "scope": "openid email profile",
    ]
  }

  /// RFC 7523 §3 as a provider checks a `private_key_jwt` client assertion: the assertion
  /// type, the signature with the registered public key, `iss` = `sub` = `client_id`, `aud`,
  /// a lifetime of at most 5 minutes that has not ended, a fresh `jti`; no secret besides.
  func acceptsAssertion(_ form: [String: String], header: String?, _ policy: AssertionPolicy)
    -> Bool
  {
    guard header == nil, form["client_secret"] == nil,
      form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      let assertion = form["client_assertion"]
    else { return false }
    LeakScan.record([assertion])
    guard let verified = try? JWS.verify(assertion, keys: StaticKeyResolver([policy.key])),
      let claims = try? JSONDecoder().decode(JWTClaims.self, from: Data(verified.payload)),
      claims.iss == Self.clientID, claims.sub == Self.clientID,
      form["client_id"] == nil || form["client_id"] == Self.clientID,
      claims.aud == .one(policy.audience ?? issuer + "/token"),
      let exp = claims.exp, let iat = claims.iat, exp - iat <= 300, exp > now(),
      let jti = claims.jti, seenAssertionIDs.withLock({ $0.insert(jti).inserted })
    else { return false }
    return true
  }

  /// The discovery document, claiming `claimedIssuer` when set.
  private func discoveryDocument() -> Response {
    let issuer = self.issuer
    return Self.json([
      "issuer": self.claimedIssuer ?? issuer, "authorization_endpoint": issuer + "/authorize",
      "token_endpoint": issuer + "/token", "jwks_uri": issuer + "/jwks",
      "userinfo_endpoint": issuer + "/userinfo",
      "response_types_supported": ["code"], "subject_types_supported": ["public"],
      "id_token_signing_alg_values_supported": ["ES256"],
    ])
  }

  /// An id_token as `shape` says.
  func idToken(nonce: String) throws -> String {
    let shape = self.shape
    let now = self.now()
    var claims: [String: Any] = [
      "iss": shape.issuer ?? issuer, "sub": shape.subject,
      "aud": shape.audience.count == 1 ? shape.audience[0] as Any : shape.audience as Any,
      "iat": now, "exp": now + shape.expiresIn, "nonce": shape.nonce ?? nonce,
      "email": shape.email, "email_verified": shape.emailVerified, "groups": shape.groups,
    ]
    if shape.audience.count > 1 { claims["azp"] = Self.clientID }
    for (name, value) in shape.extraClaims { claims[name] = value }
    if shape.claimsOnlyInUserinfo {
      for name in ["email", "email_verified", "groups"] { claims[name] = nil }
    }
    let payload = try JSONSerialization.data(withJSONObject: claims)
    if shape.algorithmNone {
      return Base64URL.encode(#"{"alg":"none"}"#) + "." + Base64URL.encode(Array(payload)) + "."
    }
    let key = shape.unknownKey ? otherKey : self.key
    let header = try JSONSerialization.data(withJSONObject: [
      "alg": "ES256", "typ": "JWT", "kid": key.keyID,
    ])
    let input = Base64URL.encode(Array(header)) + "." + Base64URL.encode(Array(payload))
    return input + "." + Base64URL.encode(try key.sign(Array(input.utf8)))
  }

  static func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
    let body = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
    return Response(
      status: status, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(bytes: body)))
  }

  static func redirect(_ uri: String, _ parameters: [(String, String)]) -> Response {
    var components = URLComponents(string: uri)
    components?.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
    return Response(status: .found, headers: [.location: components?.string ?? uri])
  }
}
