import Foundation
import LatchkeyCommands
import LatchkeyCore
import LatchkeyFetch
import LatchkeyJOSE
import LatchkeyMCP
import LatchkeyTestSupport
import MCP
import Testing

/// API keys end to end (issue 25 §2): `latchkey demo`'s notes server runs in mixed mode (JWTs
/// offline, keys by introspection at the demo's own AS), over real sockets and SQLite.
@Suite("API keys against the demo")
struct APIKeyLiveTests {
  /// A key stored in the demo's database the way `latchkey apikey create` stores it.
  static func makeKey(
    _ runtime: DemoRuntime, owner: APIKeyOwner? = nil, resource: String? = nil,
    scopes: String = "notes:read notes:write", lifetime: TimeInterval = 86_400,
    name: String = "nightly report"
  ) async throws -> (key: String, record: APIKey) {
    let (key, id) = APIKeyFormat.generate()
    LeakScan.record([key])
    let user = try #require(try await runtime.store.user(username: DemoHarness.username))
    let now = Date()
    let record = APIKey(
      id: id, keyHash: SecretHash.of(key), name: name, owner: owner ?? .user(user.id),
      resource: resource ?? runtime.mcpURL, scopes: try #require(ScopeSet(parameter: scopes)),
      createdAt: lifetime > 0 ? now : now.addingTimeInterval(lifetime - 3600),
      expiresAt: now.addingTimeInterval(lifetime))
    try await runtime.store.insertAPIKey(record)
    return (key, record)
  }

  static func initialize(_ runtime: DemoRuntime, token: String) async throws -> TestHTTPResponse {
    try await TestHTTPClient().postJSON(
      runtime.mcpURL, OAuthTestClient.initializeRequest,
      headers: [
        "Authorization": "Bearer \(token)", "Accept": "application/json, text/event-stream",
      ])
  }

  @Test func aPersonalKeyCallsToolsAsItsUserAndTheAuditNamesTheKey() async throws {
    try await DemoHarness.withDemo { runtime, _ in
      let (key, record) = try await Self.makeKey(runtime)
      let client = try await DemoHarness.mcpClient(runtime, token: key)
      let added = try await client.callTool(name: "add_note", arguments: ["text": "from CI"])
      #expect(added.isError != true)
      let listed = try await client.callTool(name: "list_notes", arguments: [:])
      #expect(DemoHarness.text(listed).contains("from CI"))
      await client.disconnect()

      let user = try #require(try await runtime.store.user(username: DemoHarness.username))
      let calls = try await runtime.store.auditEvents(matching: AuditQuery(limit: 100)).filter {
        $0.type == "mcp.tool_call"
      }
      #expect(calls.count == 2)
      for call in calls {
        #expect(call.userID == user.id)
        #expect(call.clientID == nil)
        #expect(
          call.detail?.contains("api_key=\(record.id) api_key_name=\"nightly report\"") == true)
        #expect(call.detail?.contains(key) == false)
      }
      #expect(try await runtime.store.apiKey(id: record.id)?.lastUsedAt != nil)
    }
  }

  @Test func aServiceKeyActsAsItsClient() async throws {
    try await DemoHarness.withDemo { runtime, _ in
      try await runtime.store.insertClient(
        Client(
          id: "ci-bot", name: "CI", origin: .preregistered, redirectURIs: [],
          grantTypes: [.clientCredentials], tokenEndpointAuthMethod: .clientSecretBasic,
          applicationType: .web, secretHash: SecretHash.of(SecureRandom.token()),
          createdAt: Date()))
      let (key, _) = try await Self.makeKey(runtime, owner: .client("ci-bot"), scopes: "notes:read")
      let response = try await Self.initialize(runtime, token: key)
      #expect(response.status == 200)
      let write = try await DemoHarness.rawToolCall(
        runtime, token: key, tool: "add_note", session: response.header("Mcp-Session-Id"))
      #expect(write.status == 403)
      #expect(write.header("WWW-Authenticate")?.contains(#"error="insufficient_scope""#) == true)
      try await runtime.store.deleteClient(id: "ci-bot")
      // The key went with its client (and would be refused by introspection if it had not).
      #expect(try await runtime.store.apiKeys().isEmpty)
    }
  }

  /// Each bad key gets 401 `invalid_token`, and nothing about the key comes back.
  @Test func badKeysGet401InvalidToken() async throws {
    try await DemoHarness.withDemo { runtime, _ in
      let (good, _) = try await Self.makeKey(runtime)
      var typo = Array(good)
      typo[30] = typo[30] == "a" ? "b" : "a"
      let (unknown, _) = APIKeyFormat.generate()
      LeakScan.record([unknown])
      let (expired, _) = try await Self.makeKey(runtime, lifetime: -60)
      let (elsewhere, _) = try await Self.makeKey(runtime, resource: "https://other.example/mcp")
      let (revoked, revokedRecord) = try await Self.makeKey(runtime)
      #expect(try await runtime.store.revokeAPIKey(id: revokedRecord.id, at: Date()))
      let bob = Fixtures.user(id: "bob", username: "bob", at: Date())
      try await runtime.store.insertUser(bob)
      let (disabled, _) = try await Self.makeKey(runtime, owner: .user("bob"))
      var disabledBob = bob
      disabledBob.disabled = true
      try await runtime.store.updateUser(disabledBob)

      for (label, key) in [
        ("bad checksum", String(typo)), ("unknown", unknown), ("expired", expired),
        ("other resource", elsewhere), ("revoked", revoked), ("disabled user", disabled),
      ] {
        let response = try await Self.initialize(runtime, token: key)
        #expect(response.status == 401, "\(label)")
        #expect(
          response.header("WWW-Authenticate")?.hasPrefix(#"Bearer error="invalid_token""#) == true,
          "\(label)")
        #expect(!response.text.contains(key), "\(label)")
      }
      #expect(try await Self.initialize(runtime, token: good).status == 200)
    }
  }

  /// Introspection's answers for keys, and the resource server's cache: a revocation is seen
  /// once the cached answer expires, not before; a bad checksum never reaches the AS.
  @Test func revocationIsSeenWithinTheCacheWindowNotBefore() async throws {
    try await DemoHarness.withDemo { runtime, _ in
      let secret = SecureRandom.token()
      LeakScan.record([secret])
      try await runtime.store.insertClient(
        Client(
          id: "notes-rs", name: "Notes resource server", origin: .preregistered,
          redirectURIs: [], grantTypes: [], tokenEndpointAuthMethod: .clientSecretBasic,
          applicationType: .web, secretHash: SecretHash.of(secret), createdAt: Date()))
      let (key, record) = try await Self.makeKey(runtime, scopes: "notes:read")
      let clock = FixedClock(Date())
      let introspection = IntrospectionAccessTokenVerifier(
        endpoint: try #require(URL(string: runtime.issuerURL + "/introspect")),
        clientID: "notes-rs", clientSecret: secret, issuer: runtime.issuerURL,
        resource: runtime.mcpURL, fetcher: URLSessionHTTPFetcher(allowPrivateAddresses: true),
        clock: clock, positiveCacheDuration: 5, negativeCacheDuration: 5,
        logger: DemoHarness.quietLogger)
      let verifier = MixedAccessTokenVerifier(
        jwt: JWTAccessTokenVerifier(
          issuer: runtime.issuerURL, resource: runtime.mcpURL,
          keySource: JWKSKeySource(
            issuer: runtime.issuerURL, fetcher: URLSessionHTTPFetcher(allowPrivateAddresses: true))),
        apiKeys: introspection)

      let identity = try await verifier.verify(key)
      let user = try #require(try await runtime.store.user(username: DemoHarness.username))
      #expect(identity.subject == user.id)
      #expect(identity.clientID == nil)
      #expect(identity.scopes == ScopeSet(["notes:read"]))
      #expect(identity.audience == [runtime.mcpURL])
      #expect(identity.tokenID == record.id)
      #expect(identity.apiKey == APIKeyReference(id: record.id, name: "nightly report"))
      #expect(abs(identity.expiresAt.timeIntervalSince(record.expiresAt)) < 1)

      var typo = Array(key)
      typo[25] = typo[25] == "a" ? "b" : "a"
      await #expect(throws: TokenRejection.invalid("malformed API key")) {
        try await verifier.verify(String(typo))
      }
      #expect(introspection.introspectionRequests == 1)

      #expect(try await runtime.store.revokeAPIKey(id: record.id, at: Date()))
      clock.advance(by: 4)
      #expect(try await verifier.verify(key).apiKey?.id == record.id)
      #expect(introspection.introspectionRequests == 1)
      clock.advance(by: 1)
      await #expect(throws: TokenRejection.invalid("inactive")) { try await verifier.verify(key) }
      #expect(introspection.introspectionRequests == 2)
    }
  }
}
