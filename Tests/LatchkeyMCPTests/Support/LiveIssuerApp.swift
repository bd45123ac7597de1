import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// A tiny real authorization server on a loopback port: RFC 8414 metadata + JWKS. The issuer
/// URL includes the port, known only once the server runs.
final class LiveIssuerApp: Sendable {
  let issuer: TestIssuer
  private let issuerURL = Mutex<String>("")
  private let jwksHits = Atomic<Int>(0)

  init() throws {
    issuer = try TestIssuer()
  }

  var jwksRequests: Int { jwksHits.load(ordering: .relaxed) }

  func run(_ body: @escaping @Sendable (_ issuerURL: String) async throws -> Void) async throws {
    let router = Router()
    router.get("/.well-known/oauth-authorization-server") { [self] _, _ in
      let url = issuerURL.withLock { $0 }
      return Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: .init(
          byteBuffer: ByteBuffer(
            string: #"{"issuer":"\#(url)","jwks_uri":"\#(url)/jwks.json"}"#)))
    }
    router.get("/jwks.json") { [self] _, _ in
      jwksHits.add(1, ordering: .relaxed)
      return Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(bytes: issuer.jwksJSON)))
    }
    try await Application(router: router).test(.live) { client in
      let port = try #require(client.port)
      let url = "http://localhost:\(port)"
      issuerURL.withLock { $0 = url }
      try await body(url)
    }
  }
}
