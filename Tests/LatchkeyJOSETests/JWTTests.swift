import Foundation
import LatchkeyJOSE
import Testing

@Suite("JWT claims and validation (RFC 7519, RFC 9068)")
struct JWTTests {
  let key = Fixtures.es256
  var resolver: StaticKeyResolver { StaticKeyResolver([key.publicKey]) }
  let now: Int64 = 1_700_000_000

  func claims(exp: Int64? = nil, nbf: Int64? = nil, iat: Int64? = nil) -> JWTClaims {
    JWTClaims(
      iss: "https://as.example", sub: "user-1", aud: .one("https://rs.example"),
      exp: exp ?? now + 300, nbf: nbf, iat: iat ?? now, jti: "id-1", clientID: "client-1",
      scope: "read write")
  }

  func validator(leeway: Int64 = 60, type: String? = "at+jwt") -> JWTValidator {
    JWTValidator(
      issuer: "https://as.example", audience: "https://rs.example", leeway: leeway,
      expectedType: type)
  }

  func verify(_ claims: JWTClaims, validator: JWTValidator, at now: Int64, type: String = "at+jwt")
    throws -> JWTClaims
  {
    let token = try JWT.sign(claims, key: key, type: type)
    return try JWT.verify(token, keys: resolver, validator: validator, now: now).claims
  }

  @Test("sign → verify round trip keeps every claim", arguments: JWSAlgorithm.allCases)
  func roundTrip(algorithm: JWSAlgorithm) throws {
    let key = Fixtures.key(algorithm)
    let original = claims()
    let token = try JWT.sign(original, key: key, type: "at+jwt")
    let (header, decoded) = try JWT.verify(
      token, keys: StaticKeyResolver([key.publicKey]), validator: validator(), now: now)
    #expect(decoded == original)
    #expect(header == JOSEHeader(alg: algorithm.rawValue, typ: "at+jwt", kid: key.keyID))
  }

  @Test("exp boundaries with leeway")
  func expiry() throws {
    let exp = now
    #expect(throws: Never.self) { try verify(claims(exp: exp), validator: validator(), at: exp) }
    #expect(throws: Never.self) {
      try verify(claims(exp: exp, iat: exp - 100), validator: validator(), at: exp + 59)
    }
    #expect(throws: JWTValidationError.expired) {
      try verify(claims(exp: exp, iat: exp - 100), validator: validator(), at: exp + 60)
    }
    #expect(throws: JWTValidationError.expired) {
      try verify(claims(exp: exp), validator: validator(leeway: 0), at: exp)
    }
    #expect(throws: Never.self) {
      try verify(claims(exp: exp, iat: exp - 100), validator: validator(leeway: 0), at: exp - 1)
    }
    #expect(throws: JWTValidationError.expired) {
      try verify(claims(exp: Int64.min), validator: validator(), at: now)
    }
  }

  @Test("missing exp")
  func missingExpiry() throws {
    var noExp = claims()
    noExp.exp = nil
    #expect(throws: JWTValidationError.missingExpiry) {
      try verify(noExp, validator: validator(), at: now)
    }
    let lenient = JWTValidator(
      issuer: "https://as.example", audience: "https://rs.example", requireExpiry: false)
    #expect(throws: Never.self) { try verify(noExp, validator: lenient, at: now) }
  }

  @Test("nbf and iat against now with leeway")
  func notBeforeAndIssuedAt() throws {
    #expect(throws: Never.self) {
      try verify(claims(nbf: now + 60, iat: now), validator: validator(), at: now)
    }
    #expect(throws: JWTValidationError.notYetValid) {
      try verify(claims(nbf: now + 61), validator: validator(), at: now)
    }
    #expect(throws: Never.self) {
      try verify(claims(iat: now + 60), validator: validator(), at: now)
    }
    #expect(throws: JWTValidationError.issuedInFuture) {
      try verify(claims(iat: now + 61), validator: validator(), at: now)
    }
    #expect(throws: JWTValidationError.issuedInFuture) {
      try verify(claims(exp: Int64.max, iat: Int64.max), validator: validator(), at: now)
    }
  }

  @Test("wrong issuer, audience and type")
  func wrongValues() throws {
    var other = claims()
    other.iss = "https://evil.example"
    #expect(throws: JWTValidationError.wrongIssuer) {
      try verify(other, validator: validator(), at: now)
    }
    other = claims()
    other.aud = .many(["https://other.example"])
    #expect(throws: JWTValidationError.wrongAudience) {
      try verify(other, validator: validator(), at: now)
    }
    other.aud = nil
    #expect(throws: JWTValidationError.wrongAudience) {
      try verify(other, validator: validator(), at: now)
    }
    #expect(throws: JWTValidationError.wrongType) {
      try verify(claims(), validator: validator(), at: now, type: "JWT")
    }
    #expect(throws: Never.self) {
      try verify(claims(), validator: validator(), at: now, type: "application/at+jwt")
    }
    #expect(throws: Never.self) {
      try verify(claims(), validator: validator(type: nil), at: now, type: "JWT")
    }
  }

  @Test("aud as a string and as an array, encoded and decoded in both shapes")
  func audienceShapes() throws {
    let decoder = JSONDecoder()
    let single = try decoder.decode(JWTClaims.self, from: Data("{\"aud\":\"a\"}".utf8))
    #expect(single.aud == .one("a"))
    let many = try decoder.decode(JWTClaims.self, from: Data("{\"aud\":[\"a\",\"b\"]}".utf8))
    #expect(many.aud == .many(["a", "b"]))
    #expect(many.aud?.contains("b") == true)
    #expect(many.aud?.values == ["a", "b"])
    #expect(String(decoding: try JSONEncoder().encode(single), as: UTF8.self) == "{\"aud\":\"a\"}")
    #expect(
      String(decoding: try JSONEncoder().encode(many), as: UTF8.self) == "{\"aud\":[\"a\",\"b\"]}")

    var arrayClaims = claims()
    arrayClaims.aud = .many(["https://x.example", "https://rs.example"])
    let token = try JWT.sign(arrayClaims, key: key, type: "at+jwt")
    let payload = try #require(Base64URL.decode(String(token.split(separator: ".")[1])))
    let text = String(decoding: payload, as: UTF8.self)
    #expect(text.contains("\"aud\":[\"https://x.example\",\"https://rs.example\"]"))
    #expect(text.contains("\"client_id\":\"client-1\""))
    #expect(try verify(arrayClaims, validator: validator(), at: now).aud == arrayClaims.aud)
    let singleToken = try JWT.sign(claims(), key: key)
    let singlePayload = try #require(
      Base64URL.decode(String(singleToken.split(separator: ".")[1])))
    #expect(
      String(decoding: singlePayload, as: UTF8.self).contains("\"aud\":\"https://rs.example\""))
  }

  @Test("claims with characters that need JSON escaping survive")
  func escaping() throws {
    var special = claims()
    special.sub = "quote\" backslash\\ newline\n tab\t nul\u{0} é 🔑"
    #expect(try verify(special, validator: validator(), at: now).sub == special.sub)
  }

  @Test("JWS failures and non-JSON payloads surface as signature errors")
  func signatureErrors() throws {
    let token = try JWT.sign(claims(), key: key, type: "at+jwt")
    #expect(throws: JWTValidationError.signature(.trailingData)) {
      try JWT.verify(token + "\n", keys: resolver, validator: validator(), now: now)
    }
    let notJSON = try JWS.sign(
      payload: Array("hello".utf8), header: JOSEHeader(alg: "ES256", typ: "at+jwt"), key: key)
    #expect(throws: JWTValidationError.signature(.invalidPayload)) {
      try JWT.verify(notJSON, keys: resolver, validator: validator(), now: now)
    }
    let wrongTypes = try JWS.sign(
      payload: Array("{\"exp\":\"soon\"}".utf8), header: JOSEHeader(alg: "ES256"), key: key)
    #expect(throws: JWTValidationError.signature(.invalidPayload)) {
      try JWT.verify(wrongTypes, keys: resolver, validator: validator(), now: now)
    }
  }
}
