import Foundation
import Hummingbird
import HummingbirdTesting
import LatchkeyJOSE
import NIOCore
import Synchronization
import Testing

/// An authorization server in miniature on a loopback port: RFC 8414 metadata and a JWKS with
/// one ES256 key, and a minter of RFC 9068 access tokens under that key.
final class LiveIssuer: Sendable {
  let key: SigningKey
  private let url = Mutex<String>("")

  init() throws {
    key = try SigningKey.generate(.es256)
  }

  var issuerURL: String { url.withLock { $0 } }

  func token(
    sub: String = "alice", scope: String, aud: String = ProxyHarness.resource,
    clientID: String = "client-1", lifetime: Int64 = 300, jti: String = UUID().uuidString
  ) throws -> String {
    let now = Int64(Date().timeIntervalSince1970)
    let claims = JWTClaims(
      iss: issuerURL, sub: sub, aud: .one(aud), exp: now + lifetime, iat: now, jti: jti,
      clientID: clientID, scope: scope)
    return try JWT.sign(claims, key: key, type: "at+jwt")
  }

  func run(_ body: @escaping @Sendable (_ issuerURL: String) async throws -> Void) async throws {
    let jwks = try JSONEncoder().encode(JWKS(keys: [key.publicKey.jwk]))
    let router = Router()
    router.get("/.well-known/oauth-authorization-server") { [self] _, _ in
      let issuer = issuerURL
      return Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: .init(
          byteBuffer: ByteBuffer(
            string: #"{"issuer":"\#(issuer)","jwks_uri":"\#(issuer)/jwks.json"}"#)))
    }
    router.get("/jwks.json") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(bytes: jwks)))
    }
    try await Application(router: router).test(.live) { [self] client in
      let port = try #require(client.port)
      let issuer = "http://127.0.0.1:\(port)"
      url.withLock { $0 = issuer }
      try await body(issuer)
    }
  }
}
