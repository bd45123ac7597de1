import LatchkeyJOSE
import Testing

@Suite("RFC example vectors")
struct RFCVectorTests {
  /// RFC 7515 Appendix A.3.
  static let es256JWK = JWK(
    kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")
  static let es256Token =
    "eyJhbGciOiJFUzI1NiJ9"
    + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    + ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"

  /// RFC 8037 Appendix A.1–A.4.
  static let ed25519D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
  static let ed25519X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
  static let ed25519Token =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
    + ".hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"

  @Test("RFC 7515 A.3: the ES256 example verifies with the example public key")
  func rfc7515ES256() throws {
    let key = try VerificationKey(jwk: Self.es256JWK)
    #expect(key.algorithm == .es256)
    let (header, payload) = try JWS.verify(Self.es256Token, keys: StaticKeyResolver([key]))
    #expect(header == JOSEHeader(alg: "ES256"))
    #expect(
      payload
        == Array(
          "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}".utf8)
    )
  }

  @Test("RFC 7515 A.3: any single flipped signature bit fails", arguments: [0, 100, 263, 511])
  func rfc7515FlippedBit(bit: Int) throws {
    let key = try VerificationKey(jwk: Self.es256JWK)
    let parts = Self.es256Token.split(separator: ".")
    var signature = try #require(Base64URL.decode(String(parts[2])))
    signature[bit / 8] ^= 1 << UInt8(bit % 8)
    let token = "\(parts[0]).\(parts[1]).\(Base64URL.encode(signature))"
    #expect(throws: JWSError.invalidSignature) {
      try JWS.verify(token, keys: StaticKeyResolver([key]))
    }
  }

  @Test("RFC 8037 A.3: Ed25519 JWK thumbprint")
  func rfc8037Thumbprint() throws {
    let jwk = JWK(kty: "OKP", crv: "Ed25519", x: Self.ed25519X)
    #expect(try JWKThumbprint.sha256(jwk) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
    #expect(
      try VerificationKey(jwk: jwk).thumbprint == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
  }

  @Test("RFC 8037 A.1/A.4: signing gives the exact example JWS")
  func rfc8037Sign() throws {
    let d = try #require(Base64URL.decode(Self.ed25519D))
    let key = try SigningKey(ed25519PrivateKey: d)
    #expect(key.publicKey.jwk.x == Self.ed25519X)
    #expect(key.keyID == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
    let token = try JWS.sign(
      payload: Array("Example of Ed25519 signing".utf8), header: JOSEHeader(alg: "EdDSA"),
      key: key)
    #expect(token == Self.ed25519Token)
  }

  @Test("RFC 8037 A.5: the example verifies with the public key")
  func rfc8037Verify() throws {
    let key = try VerificationKey(jwk: JWK(kty: "OKP", crv: "Ed25519", x: Self.ed25519X))
    let (_, payload) = try JWS.verify(Self.ed25519Token, keys: StaticKeyResolver([key]))
    #expect(payload == Array("Example of Ed25519 signing".utf8))
  }

  @Test("RFC 7638 §3.1: RSA JWK thumbprint")
  func rfc7638() throws {
    let jwk = JWK(
      kty: "RSA",
      n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJ"
        + "ECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2"
        + "QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQF"
        + "h6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
      e: "AQAB", kid: "2011-04-29", alg: "RS256")
    let expected = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    #expect(try JWKThumbprint.sha256(jwk) == expected)
    let key = try VerificationKey(jwk: jwk)
    #expect(key.thumbprint == expected)
    #expect(key.algorithm == .rs256)
    #expect(key.jwk.kid == "2011-04-29")
  }
}
