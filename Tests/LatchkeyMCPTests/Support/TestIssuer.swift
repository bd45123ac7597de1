import Foundation
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyTestSupport

/// An authorization server in miniature: one ES256 key, mints RFC 9068 tokens.
struct TestIssuer: Sendable {
  static let issuer = "https://as.example"
  static let resource = "https://mcp.example/mcp"

  let key: SigningKey
  let issuer: String

  init(issuer: String = TestIssuer.issuer) throws {
    key = try SigningKey.generate(.es256)
    self.issuer = issuer
  }

  var jwks: JWKS { JWKS(keys: [key.publicKey.jwk]) }

  var jwksJSON: Data { (try? JSONEncoder().encode(jwks)) ?? Data() }

  func metadataJSON(jwksURI: String) -> Data {
    Data(#"{"issuer":"\#(issuer)","jwks_uri":"\#(jwksURI)"}"#.utf8)
  }

  func token(
    sub: String = "alice", scope: String = "notes:read notes:write",
    aud: String = TestIssuer.resource, iss: String? = nil, clientID: String = "client-1",
    issuedAt: Date = FixedClockStart.date, lifetime: Int64 = 300
  ) throws -> String {
    let iat = Int64(issuedAt.timeIntervalSince1970)
    let claims = JWTClaims(
      iss: iss ?? issuer, sub: sub, aud: .one(aud), exp: iat + lifetime, iat: iat,
      jti: UUID().uuidString, clientID: clientID, scope: scope)
    let token = try JWT.sign(claims, key: key, type: "at+jwt")
    LeakScan.record([token])
    return token
  }
}

enum FixedClockStart {
  static let date = Date(timeIntervalSince1970: 1_800_000_000)
}

enum Base64URLTesting {
  static func encode(_ bytes: some Sequence<UInt8>) -> String {
    Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }
}
