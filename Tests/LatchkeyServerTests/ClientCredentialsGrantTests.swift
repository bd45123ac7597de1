import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyTestSupport
import Testing

@testable import LatchkeyServer

/// Issue 25 §1: `grant_type=client_credentials` (OAuth 2.1 §4.2) for machine clients.
@Suite("Token endpoint: client_credentials")
struct ClientCredentialsGrantTests {
  static let secret = "machine-secret-0123456789-abcdefghijklmnop"

  static func seedMachine(
    _ h: EndpointHarness, id: String = "ci-bot",
    method: TokenEndpointAuthMethod = .clientSecretBasic,
    grants: [GrantType] = [.clientCredentials], allowed: ScopeSet = ScopeSet(["notes:read"])
  ) async throws {
    LeakScan.record([secret])
    try await h.store.insertClient(
      Client(
        id: id, name: "CI bot", origin: .preregistered, redirectURIs: [], grantTypes: grants,
        tokenEndpointAuthMethod: method, applicationType: .web, allowedScopes: allowed,
        secretHash: method.isConfidential ? SecretHash.of(secret) : nil,
        createdAt: h.clock.now()))
  }

  @Test func aMachineClientGetsAnAccessTokenForItselfAndNoRefreshToken() async throws {
    let h = EndpointHarness()
    try await Self.seedMachine(h)
    try await h.test { client in
      let response = try await client.postForm(
        "/token", [("grant_type", "client_credentials"), ("resource", EndpointHarness.resource)],
        headers: [.authorization: Wire.basic("ci-bot", Self.secret)])
      #expect(response.status == .ok)
      #expect(response.headers[.cacheControl] == "no-store")
      let body = try Wire.json(response)
      #expect(body["refresh_token"] == nil)
      #expect(body["scope"] as? String == "notes:read")
      #expect(body["expires_in"] as? Int == 900)
      let token = try #require(body["access_token"] as? String)
      let jwks = try await client.execute(uri: "/jwks.json", method: .get)
      let keys = try JSONDecoder().decode(JWKS.self, from: Data(jwks.body.readableBytesView))
      let (_, claims) = try JWT.verify(
        token, keys: StaticKeyResolver(try keys.keys.map { try VerificationKey(jwk: $0) }),
        validator: JWTValidator(
          issuer: EndpointHarness.issuer, audience: EndpointHarness.resource,
          expectedType: "at+jwt"),
        now: Int64(h.clock.now().timeIntervalSince1970))
      #expect(claims.sub == "ci-bot")
      #expect(claims.clientID == "ci-bot")
      #expect(claims.scope == "notes:read")
    }
    let issued = try await h.store.auditEvents(matching: AuditQuery(type: "token.issued"))
    #expect(issued.count == 1)
    #expect(issued.first?.userID == nil)
    #expect(issued.first?.clientID == "ci-bot")
    #expect(try await h.store.grants(matching: GrantFilter(includeRevoked: true)).isEmpty)
  }

  @Test func clientSecretPostWorksAndOneResourceNeedsNoResourceParameter() async throws {
    let h = EndpointHarness()
    try await Self.seedMachine(h, method: .clientSecretPost)
    try await h.test { client in
      let response = try await client.postForm(
        "/token",
        [
          ("grant_type", "client_credentials"), ("client_id", "ci-bot"),
          ("client_secret", Self.secret), ("scope", "notes:read"),
        ])
      #expect(response.status == .ok)
    }
  }

  @Test(arguments: [
    ("scope beyond the client's", [("scope", "notes:write")], 400, "invalid_scope"),
    ("unknown resource", [("resource", "https://other.example/mcp")], 400, "invalid_target"),
  ])
  func badRequestsAreRefused(
    name: String, extra: [(String, String)], status: Int, error: String
  ) async throws {
    let h = EndpointHarness()
    try await Self.seedMachine(h)
    try await h.test { client in
      let response = try await client.postForm(
        "/token", [("grant_type", "client_credentials")] + extra,
        headers: [.authorization: Wire.basic("ci-bot", Self.secret)])
      #expect(Int(response.status.code) == status, "\(name)")
      #expect(try Wire.errorCode(response) == error)
      #expect(try Wire.json(response)["access_token"] == nil)
    }
    #expect(try await h.store.auditEvents(matching: AuditQuery(type: "token.issued")).isEmpty)
  }

  @Test func wrongSecretUnknownClientAndPublicClientsGetNothing() async throws {
    let h = EndpointHarness()
    try await Self.seedMachine(h)
    try await Self.seedMachine(h, id: "public-bot", method: .none)
    try await Self.seedMachine(h, id: "web-app", grants: [.authorizationCode])
    try await h.test { client in
      let wrong = try await client.postForm(
        "/token", [("grant_type", "client_credentials")],
        headers: [.authorization: Wire.basic("ci-bot", "wrong")])
      #expect(wrong.status == .unauthorized)
      #expect(try Wire.errorCode(wrong) == "invalid_client")
      let unknown = try await client.postForm(
        "/token", [("grant_type", "client_credentials")],
        headers: [.authorization: Wire.basic("nobody", Self.secret)])
      #expect(try Wire.errorCode(unknown) == "invalid_client")
      let publicClient = try await client.postForm(
        "/token", [("grant_type", "client_credentials"), ("client_id", "public-bot")])
      #expect(publicClient.status == .badRequest)
      #expect(try Wire.errorCode(publicClient) == "unauthorized_client")
      let notAllowed = try await client.postForm(
        "/token", [("grant_type", "client_credentials")],
        headers: [.authorization: Wire.basic("web-app", Self.secret)])
      #expect(try Wire.errorCode(notAllowed) == "unauthorized_client")
    }
    #expect(try await h.store.auditEvents(matching: AuditQuery(type: "token.issued")).isEmpty)
  }

  @Test func dynamicRegistrationNeverGrantsClientCredentials() async throws {
    let h = EndpointHarness()
    try await h.test { client in
      let response = try await RegistrationEndpointTests.register(
        client,
        #"{"client_name":"Bot","grant_types":["client_credentials"],"token_endpoint_auth_method":"client_secret_basic"}"#
      )
      #expect(response.status == .badRequest)
      #expect(try Wire.errorCode(response) == "invalid_client_metadata")
      let metadata = try Wire.json(
        try await client.execute(uri: "/.well-known/oauth-authorization-server", method: .get))
      #expect(
        metadata["grant_types_supported"] as? [String] == [
          "authorization_code", "refresh_token", "client_credentials",
        ])
    }
    #expect(try await h.store.clients().isEmpty)
  }

  @Test func rulesLimitScopesToTheClientsAtTheResource() {
    let resource = Fixtures.resource()
    var client = Fixtures.client(at: Fixtures.epoch)
    client.allowedScopes = ScopeSet(["notes:read", "notes:write", "admin"])
    #expect(
      ScopeRule.resolveForClient(requested: nil, resource: resource, client: client)
        == .success(ScopeSet(["notes:read", "notes:write"])))
    #expect(
      ScopeRule.resolveForClient(
        requested: ScopeSet(["notes:write", "offline_access"]), resource: resource, client: client)
        == .success(ScopeSet(["notes:write"])))
    client.allowedScopes = .empty
    #expect(
      ScopeRule.resolveForClient(requested: nil, resource: resource, client: client)
        == .success(ScopeSet(["notes:read"])))
  }
}

/// Issue 25 §1: `client rotate-secret --keep-old` — the previous secret works until its
/// overlap ends, then only the new one does.
@Suite("Client secrets: rotation with overlap")
struct SecretOverlapTests {
  @Test func theOldSecretWorksUntilTheOverlapEnds() async throws {
    let h = EndpointHarness()
    let old = "old-secret-0123456789-abcdefghijklmnop"
    let new = "new-secret-0123456789-abcdefghijklmnop"
    LeakScan.record([old, new])
    try await h.store.insertClient(
      Client(
        id: "ci-bot", name: "CI bot", origin: .preregistered, redirectURIs: [],
        grantTypes: [.clientCredentials], tokenEndpointAuthMethod: .clientSecretBasic,
        applicationType: .web, secretHash: SecretHash.of(new),
        previousSecretHash: SecretHash.of(old),
        previousSecretExpiresAt: h.clock.now().addingTimeInterval(3600),
        createdAt: h.clock.now()))
    let clock = h.clock
    try await h.test { client in
      var statuses: [HTTPResponse.Status] = []
      for (secret, advance) in [(new, 0.0), (old, 0), (new, 3601), (old, 0)] {
        clock.advance(by: advance)
        statuses.append(
          try await client.postForm(
            "/token", [("grant_type", "client_credentials")],
            headers: [.authorization: Wire.basic("ci-bot", secret)]
          ).status)
      }
      #expect(statuses == [.ok, .ok, .ok, .unauthorized])
    }
  }
}
