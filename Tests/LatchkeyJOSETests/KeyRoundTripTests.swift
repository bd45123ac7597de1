import Foundation
import LatchkeyJOSE
import Testing

@Suite("Keys: generation, signing, PEM and JWK round trips")
struct KeyRoundTripTests {
  @Test("generate → sign → verify", arguments: JWSAlgorithm.allCases)
  func signVerify(algorithm: JWSAlgorithm) throws {
    let key = Fixtures.key(algorithm)
    #expect(key.algorithm == algorithm)
    let message = Array("hello".utf8)
    let signature = try key.sign(message)
    if algorithm != .rs256 { #expect(signature.count == 64) }
    #expect(key.publicKey.verify(signature: signature, message: message))
    #expect(!key.publicKey.verify(signature: signature, message: Array("hellO".utf8)))
    #expect(!key.publicKey.verify(signature: [], message: message))
    // Pooled contexts stay usable after a failed verification.
    #expect(key.publicKey.verify(signature: signature, message: message))
    let token = try JWS.sign(
      payload: message, header: JOSEHeader(alg: algorithm.rawValue, kid: key.keyID), key: key)
    let verified = try JWS.verify(token, keys: StaticKeyResolver([key.publicKey]))
    #expect(verified.payload == message)
    #expect(verified.header.kid == key.keyID)
  }

  @Test(
    "private and public PEM export/import keep the thumbprint", arguments: JWSAlgorithm.allCases)
  func pem(algorithm: JWSAlgorithm) throws {
    let key = Fixtures.key(algorithm)
    let privatePEM = try key.privateKeyPEM()
    #expect(privatePEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
    let reimported = try SigningKey(privateKeyPEM: privatePEM, algorithm: algorithm)
    #expect(reimported.keyID == key.keyID)
    let publicPEM = try key.publicKey.publicKeyPEM()
    #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
    let publicKey = try VerificationKey(publicKeyPEM: publicPEM, algorithm: algorithm)
    #expect(publicKey.thumbprint == key.keyID)
    let message = Array("cross-check".utf8)
    #expect(publicKey.verify(signature: try reimported.sign(message), message: message))
  }

  @Test(
    "JWK export/import verifies and never carries private members", arguments: JWSAlgorithm.allCases
  )
  func jwk(algorithm: JWSAlgorithm) throws {
    let key = Fixtures.key(algorithm)
    let jwk = key.publicKey.jwk
    #expect(jwk.kid == key.keyID)
    #expect(jwk.alg == algorithm.rawValue)
    #expect(jwk.use == "sig")
    let json = try JSONEncoder().encode(JWKS(keys: [jwk]))
    let text = String(decoding: json, as: UTF8.self)
    #expect(!text.contains("\"d\""))
    let decoded = try JSONDecoder().decode(JWKS.self, from: json)
    let imported = try VerificationKey(jwk: decoded.keys[0])
    #expect(imported.thumbprint == key.keyID)
    #expect(imported.algorithm == algorithm)
    let message = Array("jwk".utf8)
    #expect(imported.verify(signature: try key.sign(message), message: message))
  }

  @Test("private JWK members are dropped on decode, so they are never re-served")
  func privateMembersDropped() throws {
    let json = """
      {"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
       "d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}
      """
    let jwk = try JSONDecoder().decode(JWK.self, from: Data(json.utf8))
    let reencoded = String(decoding: try JSONEncoder().encode(jwk), as: UTF8.self)
    #expect(!reencoded.contains("nWGxne"))
    #expect(try VerificationKey(jwk: jwk).algorithm == .edDSA)
  }

  @Test("a key's algorithm must fit its type")
  func wrongAlgorithmForKey() throws {
    let pem = try Fixtures.es256.privateKeyPEM()
    #expect(throws: JWSError.unsupportedKey) {
      try SigningKey(privateKeyPEM: pem, algorithm: .edDSA)
    }
    #expect(throws: JWSError.unsupportedKey) {
      try SigningKey(privateKeyPEM: pem, algorithm: .rs256)
    }
    var jwk = Fixtures.es256.publicKey.jwk
    jwk.alg = "RS256"
    #expect(throws: JWSError.unsupportedKey) { try VerificationKey(jwk: jwk) }
    jwk.alg = nil
    jwk.use = "enc"
    #expect(throws: JWSError.unsupportedKey) { try VerificationKey(jwk: jwk) }
  }

  @Test("RSA below 2048 bits is refused")
  func smallRSA() throws {
    #expect(throws: JWSError.unsupportedKey) { try SigningKey.generate(.rs256, rsaBits: 1024) }
    let jwk1024 = JWK(
      kty: "RSA",
      n:
        "t1ts6KtjqvL___-1Opj7UWlLY_jxaY0JhPf0BvO5IFVI2KC7VIqtxQpoIJx6w5AFzF7KqkokIxc99A7lucgj3zu2dP5"
        + "BXNJWVdWGjUwdxgCVl-fXPSJqPmOqdu_ZSUVciO9ADQ6P_yJEBjvWNwAdnZik-rZ_QYICLx8NoEshquk",
      e: "AQAB")
    #expect(throws: JWSError.unsupportedKey) { try VerificationKey(jwk: jwk1024) }
  }

  @Test("invalid JWKs and PEMs are rejected")
  func invalidInputs() {
    // RFC 7515 A.3's y with the last bit flipped: not on the curve.
    let offCurve = JWK(
      kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
      y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5aw")
    #expect(throws: JOSEKeyError.invalidJWK) { try VerificationKey(jwk: offCurve) }
    #expect(throws: JOSEKeyError.invalidJWK) {
      try VerificationKey(jwk: JWK(kty: "OKP", crv: "Ed25519", x: "AAAA"))
    }
    #expect(throws: JWSError.unsupportedKey) {
      try VerificationKey(jwk: JWK(kty: "EC", crv: "P-384", x: "AAAA", y: "AAAA"))
    }
    #expect(throws: JOSEKeyError.invalidPEM) {
      try SigningKey(privateKeyPEM: "-----BEGIN PRIVATE KEY-----\nAAAA\n", algorithm: .es256)
    }
    #expect(throws: JOSEKeyError.invalidPEM) {
      try VerificationKey(publicKeyPEM: "not a key", algorithm: .es256)
    }
  }

  @Test("descriptions show no key material")
  func descriptions() throws {
    let key = Fixtures.es256
    let pem = try key.privateKeyPEM()
    let body = pem.split(separator: "\n")[1]
    #expect(!String(describing: key).contains(body))
    #expect(String(describing: key).contains(key.keyID))
  }
}
