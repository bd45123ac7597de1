import Foundation
import LatchkeyCore
import LatchkeyFetch
import LatchkeyJOSE
import LatchkeyMCP
import Testing

@Suite struct LiveFetcherTests {
  /// The real `URLSessionHTTPFetcher` discovers `jwks_uri` from a real server's metadata and
  /// verifies a token signed by that server's key.
  @Test func urlSessionFetcherLoadsJWKSFromRealServer() async throws {
    let live = try LiveIssuerApp()
    try await live.run { issuerURL in
      let source = JWKSKeySource(
        issuer: issuerURL, fetcher: URLSessionHTTPFetcher(allowPrivateAddresses: true))
      let verifier = JWTAccessTokenVerifier(
        issuer: issuerURL, resource: TestIssuer.resource, keySource: source)
      let signer = TestIssuer(sharing: live.issuer, issuer: issuerURL)
      let identity = try await verifier.verify(try signer.token(issuedAt: Date()))
      #expect(identity.subject == "alice")
      #expect(identity.scopes == ScopeSet(["notes:read", "notes:write"]))
      #expect(await source.fetchCount == 1)
    }
    #expect(live.jwksRequests == 1)
  }

  @Test func missingServerMeansKeysUnavailable() async throws {
    let source = JWKSKeySource(
      issuer: "http://127.0.0.1:9", fetcher: URLSessionHTTPFetcher(allowPrivateAddresses: true))
    let verifier = JWTAccessTokenVerifier(
      issuer: "http://127.0.0.1:9", resource: TestIssuer.resource, keySource: source)
    let token = try TestIssuer(issuer: "http://127.0.0.1:9").token(issuedAt: Date())
    await #expect(throws: TokenRejection.keysUnavailable) { try await verifier.verify(token) }
  }
}

extension TestIssuer {
  /// The same key under another issuer URL.
  init(sharing other: TestIssuer, issuer: String) {
    self.init(key: other.key, issuer: issuer)
  }

  init(key: SigningKey, issuer: String) {
    self.key = key
    self.issuer = issuer
  }
}
