import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyTestSupport
import Testing

@testable import LatchkeyServer

@Suite("Discovery (RFC 8414), JWKS, health")
struct DiscoveryTests {
  static func harness(issuer: String) -> EndpointHarness {
    var h = EndpointHarness()
    h.configuration.issuer = issuer
    return h
  }

  @Test(arguments: ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"])
  func metadataCarriesWhatMCPClientsNeed(path: String) async throws {
    let h = Self.harness(issuer: "https://auth.example.com")
    try await h.test { client in
      let response = try await client.execute(uri: path, method: .get)
      #expect(response.status == .ok)
      #expect(response.headers[.contentType] == "application/json")
      let m = try Wire.json(response)
      #expect(m["issuer"] as? String == "https://auth.example.com")
      #expect(m["authorization_endpoint"] as? String == "https://auth.example.com/authorize")
      #expect(m["token_endpoint"] as? String == "https://auth.example.com/token")
      #expect(m["registration_endpoint"] as? String == "https://auth.example.com/register")
      #expect(m["jwks_uri"] as? String == "https://auth.example.com/jwks.json")
      #expect(m["revocation_endpoint"] as? String == "https://auth.example.com/revoke")
      #expect(m["introspection_endpoint"] as? String == "https://auth.example.com/introspect")
      #expect(m["code_challenge_methods_supported"] as? [String] == ["S256"])
      #expect(m["response_types_supported"] as? [String] == ["code"])
      #expect(
        m["grant_types_supported"] as? [String] == [
          "authorization_code", "refresh_token", "client_credentials",
        ])
      #expect((m["token_endpoint_auth_methods_supported"] as? [String])?.contains("none") == true)
      #expect(m["authorization_response_iss_parameter_supported"] as? Bool == true)
      #expect(m["client_id_metadata_document_supported"] as? Bool == true)
      #expect(
        m["scopes_supported"] as? [String] == ["notes:read", "notes:write", "offline_access"])
    }
  }

  /// MCP discovery order for an issuer with a path (M25/M26): path-inserted RFC 8414, then
  /// path-inserted OpenID, then path-appended OpenID.
  @Test(arguments: [
    "/.well-known/oauth-authorization-server/tenant1", "/.well-known/openid-configuration/tenant1",
    "/tenant1/.well-known/openid-configuration",
  ])
  func anIssuerWithAPathIsDiscoverableAtEveryWellKnownForm(path: String) async throws {
    let h = Self.harness(issuer: "https://auth.example.com/tenant1")
    try await h.seedUser()
    try await h.seedPublicClient()
    let (code, _) = try await h.seedCode()
    try await h.test { client in
      let response = try await client.execute(uri: path, method: .get)
      #expect(response.status == .ok)
      let m = try Wire.json(response)
      #expect(m["issuer"] as? String == "https://auth.example.com/tenant1")
      #expect(m["token_endpoint"] as? String == "https://auth.example.com/tenant1/token")
      let root = try await client.execute(
        uri: "/.well-known/oauth-authorization-server", method: .get)
      #expect(root.status == .notFound)
      let token = try await client.postForm("/tenant1/token", Wire.tokenRequest(code: code))
      #expect(token.status == .ok)
    }
  }

  @Test func jwksPublishesTheActiveKeyForVerification() async throws {
    let h = EndpointHarness()
    try await h.test { client in
      let response = try await client.execute(uri: "/jwks.json", method: .get)
      #expect(response.status == .ok)
      let jwks = try JSONDecoder().decode(JWKS.self, from: Data(response.body.readableBytesView))
      #expect(jwks.keys.count == 1)
      let key = try #require(jwks.keys.first)
      #expect(key.kty == "EC" && key.crv == "P-256" && key.alg == "ES256" && key.use == "sig")
      #expect(key.kid == (try JWKThumbprint.sha256(key)))
      let body = String(buffer: response.body)
      #expect(!body.contains("\"d\""))
    }
    let stored = try await h.store.signingKeys()
    #expect(stored.count == 1 && stored[0].state == .active)
    let generated = try await h.store.auditEvents(matching: AuditQuery(type: "key.generated"))
    #expect(generated.count == 1 && generated[0].detail?.contains(stored[0].kid) == true)
    #expect(generated[0].detail?.contains("PRIVATE") == false)
  }

  @Test(arguments: [JWSAlgorithm.edDSA, .rs256])
  func theSigningAlgorithmIsConfigurable(algorithm: JWSAlgorithm) async throws {
    var configured = EndpointHarness()
    configured.configuration.signingAlgorithm = algorithm
    let h = configured
    try await h.test { client in
      let response = try await client.execute(uri: "/jwks.json", method: .get)
      let jwks = try JSONDecoder().decode(JWKS.self, from: Data(response.body.readableBytesView))
      #expect(jwks.keys.first?.alg == algorithm.rawValue)
    }
  }

  @Test func anInsecureIssuerIsRefused() async throws {
    var h = EndpointHarness()
    h.configuration.issuer = "http://auth.example.com"
    await #expect(throws: ConfigurationError.self) {
      _ = try await buildApplication(configuration: h.configuration, store: h.store, clock: h.clock)
    }
    // An algorithm other than ES256, EdDSA and RS256 cannot be configured at all: the file's
    // `signing_algorithm` is refused when decoded (ServerConfigurationDecodingTests).
  }

  @Test func healthReportsReady() async throws {
    let h = EndpointHarness()
    try await h.test { client in
      let response = try await client.execute(uri: "/healthz", method: .get)
      #expect(response.status == .ok)
      #expect(try Wire.json(response)["status"] as? String == "ok")
    }
  }

  /// Readiness fails while the database does not answer, and while the active key cannot be
  /// read once the 5 s key cache is stale; it recovers by itself.
  @Test(arguments: ["resources", "signingKeys"])
  func healthIsUnavailableWhileTheDatabaseOrTheActiveKeyIsUnreadable(operation: String)
    async throws
  {
    let h = EndpointHarness()
    try await h.test { client in
      h.clock.advance(by: 6)
      h.store.failNext(operation, with: StoreError.unavailable("database is locked"))
      let failing = try await client.execute(uri: "/healthz", method: .get)
      #expect(failing.status == .serviceUnavailable)
      #expect(try Wire.json(failing)["status"] as? String == "unavailable")
      #expect(!String(buffer: failing.body).contains("locked"))
      let recovered = try await client.execute(uri: "/healthz", method: .get)
      #expect(recovered.status == .ok)
    }
  }
}

@Suite("Discovery document reuse")
struct DiscoveryReuseTests {
  static func scopes(_ client: any TestClientProtocol) async throws -> [String] {
    let response = try await client.execute(
      uri: "/.well-known/oauth-authorization-server", method: .get)
    #expect(response.status == .ok)
    return try Wire.json(response)["scopes_supported"] as? [String] ?? []
  }

  /// The document is rebuilt from the store at most every 5 s, so a resource added by the CLI
  /// on the same database is advertised within 5 s without a read per request.
  @Test func aNewResourceIsAdvertisedOnceTheDocumentIsFiveSecondsOld() async throws {
    let h = EndpointHarness()
    try await h.test { client in
      #expect(try await Self.scopes(client) == ["notes:read", "notes:write", "offline_access"])
      try await h.store.upsertResource(
        Resource(
          url: "https://files.example.com/mcp", name: "Files",
          scopes: [ScopeDefinition(name: "files:read", description: "Read your files")]))
      h.clock.advance(by: 4)
      #expect(try await Self.scopes(client) == ["notes:read", "notes:write", "offline_access"])
      h.clock.advance(by: 1)
      #expect(
        try await Self.scopes(client)
          == ["files:read", "notes:read", "notes:write", "offline_access"])
    }
  }
}
