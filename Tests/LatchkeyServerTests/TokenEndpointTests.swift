import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyTestSupport
import Testing

@testable import LatchkeyServer

@Suite("Token endpoint: authorization_code (OAuth 2.1 §4.1.3)")
struct TokenEndpointTests {
  @Test func redeemsACodeForAnRFC9068AccessTokenAndARefreshToken() async throws {
    let h = EndpointHarness()
    try await h.seedUser()
    try await h.seedPublicClient()
    let (code, _) = try await h.seedCode()
    try await h.test { client in
      let response = try await client.postForm("/token", Wire.tokenRequest(code: code))
      #expect(response.status == .ok)
      #expect(response.headers[.cacheControl] == "no-store")
      let body = try Wire.json(response)
      #expect(body["token_type"] as? String == "Bearer")
      #expect(body["expires_in"] as? Int == 3600)
      #expect(body["scope"] as? String == "notes:read")
      #expect((body["refresh_token"] as? String)?.count == 43)
      let token = try #require(body["access_token"] as? String)

      let jwks = try await client.execute(uri: "/jwks.json", method: .get)
      let keys = try JSONDecoder().decode(JWKS.self, from: Data(jwks.body.readableBytesView))
      let resolver = StaticKeyResolver(try keys.keys.map { try VerificationKey(jwk: $0) })
      let validator = JWTValidator(
        issuer: EndpointHarness.issuer, audience: EndpointHarness.resource, expectedType: "at+jwt")
      let (header, claims) = try JWT.verify(
        token, keys: resolver, validator: validator, now: Int64(h.clock.now().timeIntervalSince1970)
      )
      #expect(header.alg == "ES256" && header.typ == "at+jwt")
      #expect(keys.keys.map(\.kid).contains(header.kid))
      #expect(
        claims.sub == "u1" && claims.clientID == "public-client" && claims.scope == "notes:read")
      #expect(claims.exp == claims.iat.map { $0 + 3600 })
      #expect(claims.jti != nil)
    }
    let issued = try await h.store.auditEvents(matching: AuditQuery(type: "token.issued"))
    #expect(issued.count == 1 && issued[0].userID == "u1")
  }

  @Test func aReplayedCodeIsRefusedAndRevokesEverythingMintedFromIt() async throws {
    let h = EndpointHarness()
    try await h.seedUser()
    try await h.seedPublicClient()
    let (code, grantID) = try await h.seedCode()
    try await h.test { client in
      let first = try await client.postForm("/token", Wire.tokenRequest(code: code))
      #expect(first.status == .ok)
      let refresh = try #require(try Wire.json(first)["refresh_token"] as? String)
      let replay = try await client.postForm("/token", Wire.tokenRequest(code: code))
      #expect(replay.status == .badRequest)
      #expect(try Wire.errorCode(replay) == "invalid_grant")
      #expect(try await h.store.grant(id: grantID)?.revocationReason == "authorization_code_replay")
      let refreshed = try await client.postForm(
        "/token",
        [
          ("grant_type", "refresh_token"), ("refresh_token", refresh),
          ("client_id", "public-client"),
        ])
      #expect(try Wire.errorCode(refreshed) == "invalid_grant")
    }
  }

  @Test func fiftyConcurrentRedemptionsOfOneCodeHaveExactlyOneWinner() async throws {
    let h = EndpointHarness()
    try await h.seedUser()
    try await h.seedPublicClient()
    let (code, _) = try await h.seedCode()
    try await h.test { client in
      let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) {
        group in
        for _ in 0..<50 {
          group.addTask {
            let response = try await client.postForm("/token", Wire.tokenRequest(code: code))
            return (response.status, try? Wire.errorCode(response))
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(statuses.filter { $0.0 == .ok }.count == 1)
      #expect(statuses.filter { $0.0 == .badRequest && $0.1 == "invalid_grant" }.count == 49)
    }
    // Replay detection: the winner's grant (and so its refresh token) is revoked afterwards.
    #expect(try await h.allGrants().allSatisfy { $0.revokedAt != nil })
  }

  /// Each broken binding: exact status and code, and the grant is revoked with no token left.
  @Test(arguments: [
    ("code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX", "invalid_grant"),
    ("redirect_uri", "http://127.0.0.1/callback/", "invalid_grant"),
    ("redirect_uri", "http://127.0.0.1:8080/callback", "invalid_grant"),
    ("resource", "https://other.example.com/mcp", "invalid_target"),
  ])
  func aMismatchedBindingIsRefusedAndNothingIsIssued(field: String, value: String, error: String)
    async throws
  {
    let h = EndpointHarness()
    try await h.seedUser()
    try await h.seedPublicClient()
    let (code, grantID) = try await h.seedCode()
    try await h.test { client in
      let pairs = Wire.tokenRequest(code: code).map { $0.0 == field ? (field, value) : $0 }
      let response = try await client.postForm("/token", pairs)
      #expect(response.status == .badRequest)
      #expect(try Wire.errorCode(response) == error)
      #expect(try Wire.json(response)["access_token"] == nil)
    }
    #expect(try await h.store.grant(id: grantID)?.revokedAt != nil)
    #expect(try await h.store.auditEvents(matching: AuditQuery(type: "token.issued")).isEmpty)
  }

  @Test func aCodeIssuedToAnotherClientIsRefused() async throws {
    let h = EndpointHarness()
    try await h.seedUser()
    try await h.seedPublicClient()
    try await h.seedPublicClient("other-client")
    let (code, _) = try await h.seedCode()
    try await h.test { client in
      let response = try await client.postForm(
        "/token", Wire.tokenRequest(code: code, clientID: "other-client"))
      #expect(try Wire.errorCode(response) == "invalid_grant")
    }
  }

  @Test func anExpiredCodeIsRefused() async throws {
    let h = EndpointHarness()
    try await h.seedUser()
    try await h.seedPublicClient()
    let (code, _) = try await h.seedCode()
    h.clock.advance(by: 61)
    try await h.test { client in
      let response = try await client.postForm("/token", Wire.tokenRequest(code: code))
      #expect(response.status == .badRequest)
      #expect(try Wire.errorCode(response) == "invalid_grant")
    }
  }

  @Test(arguments: [
    ([("grant_type", "authorization_code"), ("client_id", "public-client")], "invalid_request"),
    ([("grant_type", "password"), ("client_id", "public-client")], "unsupported_grant_type"),
    ([("client_id", "public-client")], "invalid_request"),
    (
      [
        ("grant_type", "authorization_code"), ("grant_type", "refresh_token"),
        ("client_id", "public-client"),
      ],
      "invalid_request"
    ),
    (
      [
        ("grant_type", "authorization_code"), ("code", "x"), ("code_verifier", "short"),
        ("client_id", "public-client"),
      ],
      "invalid_request"
    ),
  ])
  func malformedRequestsGetTheRightCode(pairs: [(String, String)], error: String) async throws {
    let h = EndpointHarness()
    try await h.seedPublicClient()
    try await h.test { client in
      let response = try await client.postForm("/token", pairs)
      #expect(response.status == .badRequest)
      #expect(response.headers[.cacheControl] == "no-store")
      #expect(try Wire.errorCode(response) == error)
    }
  }

  @Test func aJSONBodyIsRefusedAsInvalidRequest() async throws {
    let h = EndpointHarness()
    try await h.test { client in
      let response = try await client.execute(
        uri: "/token", method: .post, headers: [.contentType: "application/json"],
        body: ByteBuffer(string: "{\"grant_type\":\"authorization_code\"}"))
      #expect(response.status == .badRequest)
      #expect(try Wire.errorCode(response) == "invalid_request")
    }
  }

  @Test func confidentialClientsMustAuthenticate() async throws {
    let h = EndpointHarness()
    try await h.seedUser()
    try await h.seedConfidentialClient(secret: "s3cret-value")
    let (code, _) = try await h.seedCode(clientID: "confidential")
    try await h.test { client in
      let noSecret = try await client.postForm(
        "/token", Wire.tokenRequest(code: code, clientID: "confidential"))
      #expect(noSecret.status == .unauthorized)
      #expect(try Wire.errorCode(noSecret) == "invalid_client")

      let wrong = try await client.postForm(
        "/token", Wire.tokenRequest(code: code, clientID: "confidential"),
        headers: [.authorization: Wire.basic("confidential", "wrong")])
      #expect(wrong.status == .unauthorized)
      #expect(wrong.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
      #expect(try Wire.errorCode(wrong) == "invalid_client")
      #expect(String(buffer: wrong.body).contains("wrong") == false)

      let right = try await client.postForm(
        "/token", Wire.tokenRequest(code: code, clientID: "confidential"),
        headers: [.authorization: Wire.basic("confidential", "s3cret-value")])
      #expect(right.status == .ok)
    }
    let failures = try await h.store.auditEvents(
      matching: AuditQuery(type: "client.authentication_failed"))
    #expect(failures.count == 2)
  }

  @Test func anUnknownClientIsInvalidClient() async throws {
    let h = EndpointHarness()
    try await h.test { client in
      let response = try await client.postForm(
        "/token", Wire.tokenRequest(code: "x", clientID: "ghost"))
      #expect(response.status == .unauthorized)
      #expect(try Wire.errorCode(response) == "invalid_client")
    }
  }
}
