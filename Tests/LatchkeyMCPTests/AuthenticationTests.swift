import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyJOSE
import LatchkeyMCP
import Testing

@Suite struct AuthenticationTests {
  static let noToken =
    #"Bearer resource_metadata="https://mcp.example/.well-known/oauth-protected-resource/mcp", scope="notes:read""#
  static let invalidToken =
    #"Bearer error="invalid_token", resource_metadata="https://mcp.example/.well-known/oauth-protected-resource/mcp", scope="notes:read""#

  @Test(arguments: [HTTPRequest.Method.post, .get, .delete])
  func everyMethodWithoutTokenGets401WithChallenge(method: HTTPRequest.Method) async throws {
    let harness = try MiddlewareHarness()
    try await harness.test { client in
      let response = try await client.send(method, body: MiddlewareHarness.initialize)
      #expect(response.status == .unauthorized)
      #expect(response.headers[.wwwAuthenticate] == Self.noToken)
    }
    #expect(harness.runs.count == 0)
  }

  @Test func otherPathsPassThrough() async throws {
    let harness = try MiddlewareHarness()
    try await harness.test { client in
      let response = try await client.send(.get, "/health")
      #expect(response.status == .ok)
    }
  }

  @Test func lowerCaseBearerIsAccepted() async throws {
    let harness = try MiddlewareHarness()
    let token = try harness.issuer.token()
    try await harness.test { client in
      let response = try await client.send(
        authorization: "bearer \(token)", body: MiddlewareHarness.initialize)
      #expect(response.status == .ok)
      #expect(String(buffer: response.body) == "ok alice")
      let get = try await client.send(.get, authorization: "Bearer \(token)")
      #expect(get.status == .ok)
      let delete = try await client.send(.delete, authorization: "Bearer \(token)")
      #expect(delete.status == .ok)
    }
    #expect(harness.runs.count == 3)
  }

  /// Our choice (docs/middleware.md): another scheme means "no bearer credentials" → 401
  /// without error code; a broken Bearer header is RFC 6750 §3.1 `invalid_request` → 400.
  @Test(arguments: [
    ("Basic dXNlcjpwYXNz", 401, false),
    ("Bearer", 400, true),
    ("Bearer a b", 400, true),
  ])
  func malformedAuthorization(header: String, status: Int, invalidRequest: Bool) async throws {
    let harness = try MiddlewareHarness()
    try await harness.test { client in
      let response = try await client.send(
        authorization: header, body: MiddlewareHarness.initialize)
      #expect(response.status.code == status)
      let challenge = try #require(response.headers[.wwwAuthenticate])
      #expect(challenge.hasPrefix(#"Bearer error="invalid_request""#) == invalidRequest)
      #expect(challenge.contains(#"resource_metadata="https://mcp.example/.well-known"#))
    }
    #expect(harness.runs.count == 0)
  }

  static func expectInvalidToken(_ harness: MiddlewareHarness, _ token: String) async throws {
    try await harness.test { client in
      let response = try await client.send(
        authorization: "Bearer \(token)", body: MiddlewareHarness.initialize)
      #expect(response.status == .unauthorized)
      #expect(response.headers[.wwwAuthenticate] == Self.invalidToken)
    }
    #expect(harness.runs.count == 0)
  }

  @Test func wrongAudienceIsRejected() async throws {
    let harness = try MiddlewareHarness()
    try await Self.expectInvalidToken(harness, try harness.issuer.token(aud: "https/other/mcp"))
  }

  @Test func expiredTokenIsRejected() async throws {
    let harness = try MiddlewareHarness()
    let token = try harness.issuer.token(lifetime: 60)
    harness.clock.advance(by: 60 + 31)
    try await Self.expectInvalidToken(harness, token)
  }

  @Test func wrongIssuerIsRejected() async throws {
    let harness = try MiddlewareHarness()
    try await Self.expectInvalidToken(
      harness, try harness.issuer.token(iss: "https://evil.example"))
  }

  @Test func tamperedSignatureIsRejected() async throws {
    let harness = try MiddlewareHarness()
    let token = try harness.issuer.token()
    var parts = token.split(separator: ".").map(String.init)
    var signature = Array(parts[2])
    signature[5] = signature[5] == "A" ? "B" : "A"
    parts[2] = String(signature)
    try await Self.expectInvalidToken(harness, parts.joined(separator: "."))
  }

  @Test(arguments: ["HS256", "none"])
  func algorithmSwapIsRejected(alg: String) async throws {
    let harness = try MiddlewareHarness()
    let token = try harness.issuer.token()
    let parts = token.split(separator: ".").map(String.init)
    let header = Base64URLTesting.encode(
      Array(#"{"alg":"\#(alg)","typ":"at+jwt","kid":"\#(harness.issuer.key.keyID)"}"#.utf8))
    let forged = [header, parts[1], alg == "none" ? "" : parts[2]].joined(separator: ".")
    try await Self.expectInvalidToken(harness, forged)
  }

  @Test func unknownKeyRefreshesJWKSOnceThenRejects() async throws {
    let harness = try MiddlewareHarness()
    let stranger = try TestIssuer()
    try await Self.expectInvalidToken(harness, try stranger.token())
    // One fetch to load the keys, the unknown kid is inside the 10 s refresh window.
    #expect(harness.fetcher.count(suffix: "/jwks.json") == 1)
    harness.clock.advance(by: 11)
    try await Self.expectInvalidToken(harness, try stranger.token(issuedAt: harness.clock.now()))
    #expect(harness.fetcher.count(suffix: "/jwks.json") == 2)
  }

  @Test func floodOfBogusKeyIDsFetchesAtMostTwice() async throws {
    let harness = try MiddlewareHarness()
    let strangers = try (0..<5).map { _ in try TestIssuer() }
    try await withThrowingTaskGroup(of: Void.self) { group in
      for index in 0..<100 {
        let token = try strangers[index % 5].token(sub: "bogus-\(index)")
        group.addTask {
          let result = await harness.verifierResult(token)
          #expect(result == .invalid("unknown key"))
        }
      }
      try await group.waitForAll()
    }
    #expect(harness.fetcher.count(suffix: "/jwks.json") <= 2)
  }

  @Test func rotatedKeyIsPickedUpAfterRefreshInterval() async throws {
    let harness = try MiddlewareHarness()
    let good = try harness.issuer.token()
    _ = try await harness.verifier.verify(good)
    let rotated = try TestIssuer()
    harness.fetcher.set(
      TestIssuer.issuer + "/jwks.json",
      try JSONEncoder().encode(
        JWKS(keys: [harness.issuer.key.publicKey.jwk, rotated.key.publicKey.jwk])))
    harness.clock.advance(by: 11)
    let identity = try await harness.verifier.verify(
      try rotated.token(issuedAt: harness.clock.now()))
    #expect(identity.subject == "alice")
  }

  @Test func issuerDownAnswers503NotInvalidToken() async throws {
    let harness = try MiddlewareHarness()
    harness.fetcher.set(TestIssuer.issuer + "/jwks.json", Data("oops".utf8))
    let token = try harness.issuer.token()
    try await harness.test { client in
      let response = try await client.send(
        authorization: "Bearer \(token)", body: MiddlewareHarness.initialize)
      #expect(response.status == .serviceUnavailable)
    }
    #expect(harness.runs.count == 0)
  }
}

extension MiddlewareHarness {
  func verifierResult(_ token: String) async -> TokenRejection? {
    do {
      _ = try await verifier.verify(token)
      return nil
    } catch {
      return error
    }
  }
}
