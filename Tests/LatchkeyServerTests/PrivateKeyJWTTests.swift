import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyTestSupport
import Testing

@testable import LatchkeyServer

/// Issue 25 §1 and issue 24 §4: `private_key_jwt` client authentication (RFC 7523 §2.2, §3).
@Suite("Client authentication: private_key_jwt")
struct PrivateKeyJWTTests {
  static let tokenEndpoint = EndpointHarness.issuer + "/token"
  static let jwksURI = "https://keys.example.com/ci-bot.json"

  struct Machine {
    let key: SigningKey
    let jwks: String
  }

  static func machine(_ algorithm: JWSAlgorithm = .es256) throws -> Machine {
    let key = try SigningKey.generate(algorithm)
    let set = JWKS(keys: [key.publicKey.jwk])
    return Machine(key: key, jwks: String(decoding: try JSONEncoder().encode(set), as: UTF8.self))
  }

  static func seed(
    _ h: EndpointHarness, _ machine: Machine, id: String = "ci-bot", byURI: Bool = false
  ) async throws {
    if byURI { h.fetcher.set(jwksURI, StubHTTPFetcher.json(machine.jwks)) }
    try await h.store.insertClient(
      Client(
        id: id, name: "CI bot", origin: .preregistered, redirectURIs: [],
        grantTypes: [.clientCredentials], tokenEndpointAuthMethod: .privateKeyJWT,
        applicationType: .web, allowedScopes: ScopeSet(["notes:read"]),
        jwks: byURI ? nil : machine.jwks, jwksURI: byURI ? jwksURI : nil,
        createdAt: h.clock.now()))
  }

  static func assertion(
    _ machine: Machine, clock: FixedClock, iss: String = "ci-bot", sub: String = "ci-bot",
    aud: String = tokenEndpoint, lifetime: Int64 = 120, jti: String? = SecureRandom.token()
  ) throws -> String {
    let now = Int64(clock.now().timeIntervalSince1970)
    return try JWT.sign(
      JWTClaims(
        iss: iss, sub: sub, aud: .one(aud), exp: now + lifetime, iat: now, jti: jti),
      key: machine.key)
  }

  static func request(_ assertion: String, type: String = ClientAssertionRule.assertionType)
    -> [(String, String)]
  {
    [
      ("grant_type", "client_credentials"), ("client_assertion_type", type),
      ("client_assertion", assertion),
    ]
  }

  @Test(arguments: [JWSAlgorithm.es256, .edDSA, .rs256])
  func aSignedAssertionAuthenticatesAMachineClient(algorithm: JWSAlgorithm) async throws {
    let h = EndpointHarness()
    let machine = try Self.machine(algorithm)
    try await Self.seed(h, machine)
    let assertion = try Self.assertion(machine, clock: h.clock)
    try await h.test { client in
      let response = try await client.postForm("/token", Self.request(assertion))
      #expect(response.status == .ok)
      #expect(try Wire.json(response)["scope"] as? String == "notes:read")
      // The same assertion again: its jti was used.
      let replay = try await client.postForm("/token", Self.request(assertion))
      #expect(replay.status == .unauthorized)
      #expect(try Wire.errorCode(replay) == "invalid_client")
    }
    #expect(try await h.store.auditEvents(matching: AuditQuery(type: "token.issued")).count == 1)
  }

  @Test func keysFromJWKSURIAreFetchedOnceAndCached() async throws {
    let h = EndpointHarness()
    let machine = try Self.machine()
    try await Self.seed(h, machine, byURI: true)
    try await h.test { client in
      for _ in 0..<3 {
        let response = try await client.postForm(
          "/token", Self.request(try Self.assertion(machine, clock: h.clock)))
        #expect(response.status == .ok)
      }
    }
    #expect(h.fetcher.fetchCount(Self.jwksURI) == 1)
  }

  @Test func theIssuerIsAnAcceptedAudience() async throws {
    let h = EndpointHarness()
    let machine = try Self.machine()
    try await Self.seed(h, machine)
    try await h.test { client in
      let response = try await client.postForm(
        "/token",
        Self.request(try Self.assertion(machine, clock: h.clock, aud: EndpointHarness.issuer)))
      #expect(response.status == .ok)
    }
  }

  enum Forgery: String, CaseIterable, Sendable {
    case wrongAudience, expired, livesTooLong, noJTI, subjectIsAnotherClient, issuerDiffers
    case otherKey, algNone, hs256WithThePublicKey, tampered
  }

  @Test(arguments: Forgery.allCases)
  func forgedAssertionsAreInvalidClient(forgery: Forgery) async throws {
    let h = EndpointHarness()
    let machine = try Self.machine()
    try await Self.seed(h, machine)
    try await Self.seed(h, try Self.machine(), id: "other-bot")
    let clock = h.clock
    let assertion: String
    switch forgery {
    case .wrongAudience:
      assertion = try Self.assertion(machine, clock: clock, aud: "https://elsewhere.example/token")
    case .expired: assertion = try Self.assertion(machine, clock: clock, lifetime: -60)
    case .livesTooLong: assertion = try Self.assertion(machine, clock: clock, lifetime: 3600)
    case .noJTI: assertion = try Self.assertion(machine, clock: clock, jti: nil)
    case .subjectIsAnotherClient:
      assertion = try Self.assertion(machine, clock: clock, iss: "other-bot", sub: "other-bot")
    case .issuerDiffers: assertion = try Self.assertion(machine, clock: clock, iss: "someone")
    case .otherKey: assertion = try Self.assertion(try Self.machine(), clock: clock)
    case .algNone:
      let real = try Self.assertion(machine, clock: clock).split(separator: ".")
      let header = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
      assertion = header + "." + real[1] + "."
    case .hs256WithThePublicKey:
      let real = try Self.assertion(machine, clock: clock).split(separator: ".")
      let header = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
      let input = Array((header + "." + real[1]).utf8)
      let mac = Digest.hmacSHA256(key: Array(machine.jwks.utf8), message: input)
      assertion = header + "." + real[1] + "." + Base64URL.encode(mac)
    case .tampered:
      var parts = try Self.assertion(machine, clock: clock).split(separator: ".").map(String.init)
      parts[1] = Base64URL.encode(
        Array(#"{"iss":"ci-bot","sub":"ci-bot","aud":"x","exp":9999999999,"jti":"j"}"#.utf8))
      assertion = parts.joined(separator: ".")
    }
    try await h.test { client in
      let response = try await client.postForm("/token", Self.request(assertion))
      #expect(response.status == .unauthorized, "\(forgery)")
      #expect(try Wire.errorCode(response) == "invalid_client")
      #expect(try Wire.json(response)["access_token"] == nil)
    }
    #expect(try await h.store.auditEvents(matching: AuditQuery(type: "token.issued")).isEmpty)
  }

  @Test func aWrongAssertionTypeOrTwoMethodsAreInvalidRequest() async throws {
    let h = EndpointHarness()
    let machine = try Self.machine()
    try await Self.seed(h, machine)
    try await h.test { client in
      let assertion = try Self.assertion(machine, clock: h.clock)
      let wrongType = try await client.postForm(
        "/token", Self.request(assertion, type: "urn:example:other"))
      #expect(wrongType.status == .badRequest)
      #expect(try Wire.errorCode(wrongType) == "invalid_request")
      let both = try await client.postForm(
        "/token", Self.request(assertion), headers: [.authorization: Wire.basic("ci-bot", "x")])
      #expect(try Wire.errorCode(both) == "invalid_request")
    }
  }

  @Test func aSecretClientCannotAuthenticateWithAnAssertionNorTheReverse() async throws {
    let h = EndpointHarness()
    let machine = try Self.machine()
    try await Self.seed(h, machine)
    try await h.seedConfidentialClient("secret-bot", secret: "s3cret-s3cret-s3cret-s3cret")
    try await h.test { client in
      let asSecretClient = try await client.postForm(
        "/token",
        Self.request(
          try Self.assertion(machine, clock: h.clock, iss: "secret-bot", sub: "secret-bot")))
      #expect(try Wire.errorCode(asSecretClient) == "invalid_client")
      let withSecret = try await client.postForm(
        "/token", [("grant_type", "client_credentials")],
        headers: [.authorization: Wire.basic("ci-bot", "anything")])
      #expect(try Wire.errorCode(withSecret) == "invalid_client")
    }
  }

  @Test func rulesCheckEveryClaim() {
    let now: Int64 = 1_800_000_000
    let good = JWTClaims(iss: "c", sub: "c", aud: .one("https://as/token"), exp: now + 60, jti: "j")
    func problem(_ claims: JWTClaims) -> ClientAssertionRule.Problem? {
      ClientAssertionRule.problem(
        claims, clientID: "c", audiences: ["https://as/token", "https://as"], now: now, leeway: 30)
    }
    #expect(problem(good) == nil)
    var claims = good
    claims.aud = .many(["https://other", "https://as"])
    #expect(problem(claims) == nil)
    claims = good
    claims.exp = now + 400
    #expect(problem(claims) == .livesTooLong)
    claims = good
    claims.exp = now - 31
    #expect(problem(claims) == .expired)
    claims = good
    claims.exp = nil
    #expect(problem(claims) == .missingExpiry)
    claims = good
    claims.sub = "d"
    #expect(problem(claims) == .wrongSubject)
  }
}
