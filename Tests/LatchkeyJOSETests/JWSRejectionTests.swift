import LatchkeyJOSE
import Testing

@Suite("JWS rejections (RFC 7515 §5.2, RFC 8725)")
struct JWSRejectionTests {
  let key = Fixtures.es256
  var resolver: StaticKeyResolver { StaticKeyResolver([key.publicKey]) }
  var payload: String { Base64URL.encode("{\"sub\":\"alice\"}") }

  func validToken() throws -> String {
    try JWS.sign(
      payload: Array("{\"sub\":\"alice\"}".utf8),
      header: JOSEHeader(alg: "ES256", kid: key.keyID), key: key)
  }

  func expect(_ error: JWSError, _ token: String) {
    #expect(throws: error) { try JWS.verify(token, keys: resolver) }
  }

  @Test("alg none in any case", arguments: ["none", "NONE", "None"])
  func algorithmNone(alg: String) throws {
    let header = Fixtures.segment("{\"alg\":\"\(alg)\",\"kid\":\"\(key.keyID)\"}")
    expect(.algorithmNone, "\(header).\(payload).")
    let signature = try validToken().split(separator: ".")[2]
    expect(.algorithmNone, "\(header).\(payload).\(signature)")
  }

  @Test("header alg differing from the key's algorithm", arguments: ["HS256", "RS256", "EdDSA"])
  func algorithmMismatch(alg: String) throws {
    let header = Fixtures.segment("{\"alg\":\"\(alg)\",\"kid\":\"\(key.keyID)\"}")
    let signature = try validToken().split(separator: ".")[2]
    expect(.algorithmMismatch, "\(header).\(payload).\(signature)")
  }

  @Test("signing refuses a header alg that is not the key's")
  func signMismatch() {
    #expect(throws: JWSError.algorithmMismatch) {
      try JWS.sign(payload: [1], header: JOSEHeader(alg: "RS256"), key: key)
    }
  }

  @Test("unknown kid, and a missing kid with several keys")
  func unknownKeyID() throws {
    let signature = try validToken().split(separator: ".")[2]
    let header = Fixtures.segment("{\"alg\":\"ES256\",\"kid\":\"nope\"}")
    expect(.unknownKeyID, "\(header).\(payload).\(signature)")
    let noKid = Fixtures.segment("{\"alg\":\"ES256\"}")
    let two = StaticKeyResolver([key.publicKey, Fixtures.edDSA.publicKey])
    #expect(throws: JWSError.unknownKeyID) {
      try JWS.verify("\(noKid).\(payload).\(signature)", keys: two)
    }
  }

  @Test(
    "non-base64url characters in each segment",
    arguments: [0, 1, 2], ["+", "/", "=", " ", "\t", "%", "é"])
  func invalidBase64URL(segment: Int, character: String) throws {
    var parts = try validToken().split(separator: ".").map(String.init)
    parts[segment].insert(
      contentsOf: character, at: parts[segment].index(after: parts[segment].startIndex))
    expect(.invalidBase64URL, parts.joined(separator: "."))
  }

  @Test("padding at the end of a segment", arguments: [0, 1, 2])
  func padding(segment: Int) throws {
    var parts = try validToken().split(separator: ".").map(String.init)
    parts[segment] += "=="
    expect(.invalidBase64URL, parts.joined(separator: "."))
  }

  @Test("two or four segments")
  func segmentCount() throws {
    let parts = try validToken().split(separator: ".")
    expect(.wrongSegmentCount, "\(parts[0]).\(parts[1])")
    expect(.wrongSegmentCount, "\(parts[0]).\(parts[1]).\(parts[2]).\(parts[2])")
    expect(.wrongSegmentCount, "\(parts[0])")
    expect(.wrongSegmentCount, "")
  }

  @Test("tokens over 16 KiB, before parsing")
  func tooLarge() throws {
    expect(.tokenTooLarge, String(repeating: "a", count: JWS.maximumTokenLength + 1))
    let big = try JWS.sign(
      payload: [UInt8](repeating: 0x41, count: 13_000), header: JOSEHeader(alg: "ES256"), key: key)
    expect(.tokenTooLarge, big)
  }

  @Test("trailing data", arguments: ["\n", " ", ".", "\r\n", "\0", "..", " \n"])
  func trailingData(suffix: String) throws {
    expect(.trailingData, try validToken() + suffix)
  }

  @Test("tampered payload")
  func tamperedPayload() throws {
    let parts = try validToken().split(separator: ".")
    let forged = Base64URL.encode("{\"sub\":\"mallory\"}")
    expect(.invalidSignature, "\(parts[0]).\(forged).\(parts[2])")
  }

  @Test("ES256 signatures of the wrong length, including DER")
  func wrongLengthSignature() throws {
    let parts = try validToken().split(separator: ".")
    let raw = try #require(Base64URL.decode(String(parts[2])))
    expect(.invalidSignature, "\(parts[0]).\(parts[1]).\(Base64URL.encode(Self.der(raw)))")
    expect(.invalidSignature, "\(parts[0]).\(parts[1]).\(Base64URL.encode(raw + [0]))")
    expect(.invalidSignature, "\(parts[0]).\(parts[1]).\(Base64URL.encode(raw.dropLast()))")
    expect(.invalidSignature, "\(parts[0]).\(parts[1]).")
  }

  @Test("headers that are not a JSON object with a string alg, or that use crit")
  func invalidHeader() throws {
    let signature = try validToken().split(separator: ".")[2]
    for json in [
      "[]", "\"ES256\"", "{}", "{\"alg\":256}", "{\"alg\":null}", "not json", "",
      "{\"alg\":\"ES256\",\"kid\":5}", "{\"alg\":\"ES256\",\"crit\":[\"exp\"]}",
    ] {
      expect(.invalidHeader, "\(Fixtures.segment(json)).\(payload).\(signature)")
    }
  }

  @Test("the valid token itself verifies")
  func valid() throws {
    let (header, body) = try JWS.verify(try validToken(), keys: resolver)
    #expect(header == JOSEHeader(alg: "ES256", kid: key.keyID))
    #expect(body == Array("{\"sub\":\"alice\"}".utf8))
  }

  /// DER `SEQUENCE { INTEGER r, INTEGER s }` of a raw R || S signature.
  static func der(_ raw: [UInt8]) -> [UInt8] {
    func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
      var value = Array(bytes.drop { $0 == 0 })
      if value.first.map({ $0 & 0x80 != 0 }) ?? true { value.insert(0, at: 0) }
      return [0x02, UInt8(value.count)] + value
    }
    let body = integer(raw[0..<32]) + integer(raw[32...])
    return [0x30, UInt8(body.count)] + body
  }
}
