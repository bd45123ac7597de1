import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyJOSE
import LatchkeySQLite
import LatchkeyServer
import LatchkeyTestSupport
import Testing

/// The token vault (issue 23 §4), end to end through Latchkey's pages and endpoints: a sign-in
/// through `StubOpenIDProvider` with `keep_upstream_tokens` keeps the provider's tokens sealed
/// and tied to the grant; `POST /upstream-token` hands the access token to a listed reader,
/// refreshing it at the provider when it expires; revoking the grant deletes it; nobody else
/// gets it, and the database file never holds it in the clear.
@Suite("token vault: the upstream token for the MCP server", .serialized)
struct TokenVaultTests {
  static let readerID = "notes-rs"
  static let readerSecret = "notes-rs-secret-0123456789abcdef0123"

  /// A key file with mode `mode` holding a fresh 32-byte key in hex.
  static func keyFile(mode: Int = 0o600, contents: String? = nil) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("latchkey-vault-\(SecureRandom.token(byteCount: 8))").path
    let key = contents ?? SecureRandom.bytes(32).map { String(format: "%02x", $0) }.joined()
    try (key + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    LeakScan.record([key])
    return path
  }

  /// Latchkey on `store` with the stub as a provider that keeps tokens, one vault key and the
  /// reader `notes-rs` for the test resource.
  static func server(issuer: String, store: any LatchkeyStore = InMemoryStore()) async throws
    -> TestAuthorizationServer
  {
    var server = try await UpstreamSignInTests.server(issuer: issuer, store: store) {
      $0.keepUpstreamTokens = true
    }
    server.configuration.tokenVault = TokenVaultConfiguration(
      keys: [.init(id: "k1", keyFile: try keyFile())],
      readers: [.init(clientID: readerID, resource: TestAuthorizationServer.resourceURL)])
    LeakScan.record([readerSecret])
    try await server.store.insertClient(
      Client(
        id: readerID, name: "Notes server", origin: .preregistered,
        redirectURIs: ["https://notes.example.com/unused"], grantTypes: [.clientCredentials],
        tokenEndpointAuthMethod: .clientSecretPost, applicationType: .web,
        secretHash: SecretHash.of(readerSecret), createdAt: server.clock.now()))
    return server
  }

  /// Sign in through the stub, approve, redeem: the token response's JSON.
  static func signIn(_ stub: StubOpenIDProvider, _ browser: TestBrowser) async throws
    -> [String: Any]
  {
    let parameters = AuthorizeParameters()
    let consent = try await UpstreamSignInTests.callback(stub, browser, parameters)
    #expect(consent.status == .ok)
    let redirect = try AuthorizationRedirect(
      try await browser.submit(consent, adding: [("decision", "approve")]))
    let tokens = try await browser.redeem(code: try #require(redirect.query["code"]), parameters)
    #expect(tokens.status == .ok)
    return try Wire.json(tokens)
  }

  static func read(
    _ browser: TestBrowser, token: String, clientID: String = readerID,
    secret: String = readerSecret
  ) async throws -> TestResponse {
    try await browser.post(
      "/upstream-token",
      form: [("client_id", clientID), ("client_secret", secret), ("token", token)])
  }

  @Test func theUpstreamTokenReachesAListedReaderAndIsSealedAtRest() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("latchkey-vault-db-\(SecureRandom.token(byteCount: 8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("latchkey.sqlite").path
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer, store: try SQLiteStore(path: path))
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let tokens = try await Self.signIn(stub, browser)
        let accessToken = try #require(tokens["access_token"] as? String)
        let answer = try await Self.read(browser, token: accessToken)
        #expect(answer.status == .ok && answer.headers[.cacheControl] == "no-store")
        let body = try Wire.json(answer)
        let upstream = try #require(stub.issuedAccessTokens.withLock { $0.first })
        #expect(body["active"] as? Bool == true && body["access_token"] as? String == upstream)
        #expect(body["provider"] as? String == "stub" && body["token_type"] as? String == "Bearer")
        #expect(body["expires_in"] as? Int == 300 && body["scope"] as? String != nil)
        // Latchkey's own token never carries the upstream one (no token passthrough).
        let payload = try #require(
          Base64URL.decode(String(accessToken.split(separator: ".")[1])))
        #expect(!String(decoding: payload, as: UTF8.self).contains(upstream))
      }
      let grants = try await server.allGrants()
      let record = try #require(try await server.store.upstreamToken(grantID: grants[0].id))
      #expect(record.provider == "stub" && record.keyID == "k1" && record.interactionID == nil)
      let reads = try await server.auditEvents(type: "upstream_token.read")
      #expect(reads.count == 1 && reads[0].detail == "provider stub, read by notes-rs")
    }
    // Nothing the provider issued is in the database files in the clear.
    let secrets = stub.issuedAccessTokens.withLock { $0 }
    #expect(!secrets.isEmpty)
    for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
      let bytes = try Data(contentsOf: directory.appendingPathComponent(file))
      for secret in secrets + ["stub-refresh-"] {
        #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds an upstream token")
      }
    }
  }

  @Test func anExpiringUpstreamTokenIsRefreshedAndARefusedRefreshIsReported() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer)
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let accessToken = try #require(try await Self.signIn(stub, browser)["access_token"])
        // 250 s later the 300 s upstream token is within the 60 s margin: refreshed once.
        server.clock.advance(by: 250)
        let refreshed = try Wire.json(
          try await Self.read(browser, token: try #require(accessToken as? String)))
        let issued = stub.issuedAccessTokens.withLock { $0 }
        #expect(issued.count == 2 && refreshed["access_token"] as? String == issued[1])
        #expect(refreshed["expires_in"] as? Int == 300)
        let again = try Wire.json(try await Self.read(browser, token: accessToken as! String))
        #expect(again["access_token"] as? String == issued[1])
        #expect(
          stub.tokenRequests.withLock { $0.filter { $0["grant_type"] == "refresh_token" } }.count
            == 1)
        // The user revoked the app at the provider: the reader is told, nothing else.
        stub.refusesRefresh.withLock { $0 = true }
        server.clock.advance(by: 300)
        let refused = try await Self.read(browser, token: accessToken as! String)
        #expect(refused.status == .ok)
        let body = try Wire.json(refused)
        #expect(
          body["active"] as? Bool == false && body["reason"] as? String == "upstream_refresh_failed"
        )
        #expect(body["access_token"] == nil)
      }
      #expect(try await server.auditEvents(type: "upstream_token.refreshed").count == 1)
      let unavailable = try await server.auditEvents(type: "upstream_token.unavailable")
      #expect(unavailable.map(\.detail) == ["upstream refresh failed: refused (HTTP 400)"])
    }
  }

  @Test func revokingTheGrantDeletesTheUpstreamToken() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer)
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let tokens = try await Self.signIn(stub, browser)
        let accessToken = try #require(tokens["access_token"] as? String)
        let refreshToken = try #require(tokens["refresh_token"] as? String)
        let revoked = try await browser.post(
          "/revoke",
          form: [("token", refreshToken), ("client_id", TestAuthorizationServer.clientID)])
        #expect(revoked.status == .ok)
        let body = try Wire.json(try await Self.read(browser, token: accessToken))
        #expect(
          body["active"] as? Bool == false && body["reason"] as? String == "no_upstream_token")
      }
      let grant = try #require(try await server.allGrants().first)
      #expect(grant.revokedAt != nil)
      #expect(try await server.store.upstreamToken(grantID: grant.id) == nil)
    }
  }

  @Test func onlyAListedConfidentialReaderWithAValidTokenGetsAnything() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer)
      try await server.store.insertClient(
        Client(
          id: "other-rs", name: "Other", origin: .preregistered,
          redirectURIs: ["https://other.example.com/unused"], grantTypes: [.clientCredentials],
          tokenEndpointAuthMethod: .clientSecretPost, applicationType: .web,
          secretHash: SecretHash.of(Self.readerSecret), createdAt: server.clock.now()))
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let accessToken = try #require(
          try await Self.signIn(stub, browser)["access_token"] as? String)
        let upstream = try #require(stub.issuedAccessTokens.withLock { $0.first })
        let unlisted = try await Self.read(browser, token: accessToken, clientID: "other-rs")
        #expect(unlisted.status == .badRequest)
        #expect(try Wire.errorCode(unlisted) == "unauthorized_client")
        let wrongSecret = try await Self.read(browser, token: accessToken, secret: "wrong")
        #expect(wrongSecret.status == .unauthorized)
        #expect(try Wire.errorCode(wrongSecret) == "invalid_client")
        let publicClient = try await browser.post(
          "/upstream-token",
          form: [("client_id", TestAuthorizationServer.clientID), ("token", accessToken)])
        #expect(publicClient.status == .unauthorized)
        #expect(try Wire.errorCode(publicClient) == "invalid_client")
        let missing = try await browser.post(
          "/upstream-token",
          form: [("client_id", Self.readerID), ("client_secret", Self.readerSecret)])
        #expect(missing.status == .badRequest)
        #expect(try Wire.errorCode(missing) == "invalid_request")
        let forged = try await Self.read(browser, token: accessToken.dropLast(2) + "AA")
        #expect(try Wire.json(forged)["active"] as? Bool == false)
        #expect(try Wire.json(forged)["reason"] == nil)
        for response in [unlisted, wrongSecret, publicClient, missing, forged] {
          #expect(!String(buffer: response.body).contains(upstream))
        }
      }
      #expect(try await server.auditEvents(type: "upstream_token.refused").count == 1)
      #expect(try await server.auditEvents(type: "upstream_token.read").isEmpty)
    }
  }

  @Test func aSignedInBrowserSignsInUpstreamAgainForANewGrant() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer)
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        _ = try await Self.signIn(stub, browser)
        // Same browser, same session: the login page again, not the consent page.
        let page = try await browser.get(AuthorizeParameters().uri)
        #expect(page.status == .ok)
        #expect(String(buffer: page.body).contains("Sign in with Stub ID"))
        // Consent is remembered, so the callback answers with the code at once.
        let parameters = AuthorizeParameters()
        let redirect = try AuthorizationRedirect(
          try await UpstreamSignInTests.callback(stub, browser, parameters))
        let tokens = try await browser.redeem(
          code: try #require(redirect.query["code"]), parameters)
        #expect(tokens.status == .ok)
      }
      let grants = try await server.allGrants()
      #expect(grants.count == 2)
      var sealed: Set<String> = []
      for grant in grants {
        sealed.insert(try #require(try await server.store.upstreamToken(grantID: grant.id)).id)
      }
      #expect(sealed.count == 2, "each grant has its own upstream tokens")
    }
  }

  @Test func aRotatedKeyStillOpensOldBoxesAndReSealsThem() async throws {
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      var server = try await Self.server(issuer: issuer)
      let accessToken = try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        try #require(try await Self.signIn(stub, browser)["access_token"] as? String)
      }
      let first = server.configuration.tokenVault.keys[0]
      server.configuration.tokenVault.keys = [.init(id: "k2", keyFile: try Self.keyFile()), first]
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let body = try Wire.json(try await Self.read(browser, token: accessToken))
        #expect(body["access_token"] as? String == stub.issuedAccessTokens.withLock { $0.first })
      }
      let grant = try #require(try await server.allGrants().first)
      #expect(try await server.store.upstreamToken(grantID: grant.id)?.keyID == "k2")
      // Without the key that sealed it, nothing opens: reported, never guessed.
      server.configuration.tokenVault.keys = [.init(id: "k3", keyFile: try Self.keyFile())]
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let body = try Wire.json(try await Self.read(browser, token: accessToken))
        #expect(body["reason"] as? String == "upstream_token_unreadable")
      }
    }
  }
}

@Suite("token vault: configuration and sealing")
struct TokenVaultConfigurationTests {
  @Test func keepingTokensNeedsAVaultKey() throws {
    var configuration = ServerConfiguration(issuer: "https://auth.example.com")
    var provider = IdentityProviderConfiguration(
      id: "corp", issuer: "https://idp.example.com", clientID: "x", clientSecretEnv: "S")
    provider.keepUpstreamTokens = true
    configuration.identityProviders = [provider]
    #expect(
      throws: ConfigurationError.invalid(
        "identity provider \"corp\" keeps upstream tokens but token_vault has no keys")
    ) {
      try configuration.validate()
    }
    configuration.tokenVault.keys = [.init(id: "k1", keyEnv: "K")]
    try configuration.validate()
    configuration.tokenVault.keys.append(.init(id: "k1", keyFile: "/x"))
    #expect(throws: ConfigurationError.invalid("token_vault key id \"k1\" is used twice")) {
      try configuration.validate()
    }
    configuration.tokenVault.keys = [.init(id: "k2", keyFile: "/x", keyEnv: "K")]
    #expect(
      throws: ConfigurationError.invalid(
        "token_vault key \"k2\" needs exactly one of key_file and key_env")
    ) {
      try configuration.validate()
    }
  }

  @Test func aKeyFileReadableByOthersOrNotAKeyStopsTheStartWithoutShowingIt() async throws {
    let open = try TokenVaultTests.keyFile(mode: 0o644)
    let short = try TokenVaultTests.keyFile(contents: "00112233")
    for (path, expected) in [
      (open, "has mode 644, wider than 600; run chmod 600 on it"),
      (short, "is not 32 bytes as 64 hex digits or base64"),
    ] {
      var server = try await TestAuthorizationServer()
      server.configuration.tokenVault.keys = [.init(id: "k1", keyFile: path)]
      do {
        try await server.run { _ in }
        Issue.record("started with \(expected)")
      } catch let error as ConfigurationError {
        #expect(error == .invalid("token_vault key \"k1\": key_file \(path) \(expected)"))
        let contents = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!error.description.contains(contents.trimmingCharacters(in: .newlines)))
      }
    }
  }

  @Test func aBase64KeyFromTheEnvironmentWorks() async throws {
    let key = SecureRandom.bytes(32)
    var server = try await TestAuthorizationServer()
    server.configuration.tokenVault.keys = [.init(id: "env", keyEnv: "LATCHKEY_TEST_VAULT_KEY")]
    setenv("LATCHKEY_TEST_VAULT_KEY", Data(key).base64EncodedString(), 1)
    defer { unsetenv("LATCHKEY_TEST_VAULT_KEY") }
    let status = try await server.run { browser in
      try await browser.get("/.well-known/oauth-authorization-server").status
    }
    #expect(status == .ok)
  }
}
