import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import LatchkeyJOSE
import LatchkeySQLite
import LatchkeyServer
import LatchkeyTestSupport
import NIOCore
import Testing

@testable import LatchkeyCommands

/// The CLI and a running server share one SQLite file: the server (its own `SQLiteStore`, a real
/// socket) sees what the CLI (another `SQLiteStore` per command) changes, without a restart.
@Suite("CLI against a live server on the same database")
struct LiveServerTests {
  static let redirect = "http://127.0.0.1/callback"
  static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

  @Test func clientGrantAndKeyChangesTakeEffectWithoutRestart() async throws {
    let bed = try CLITestbed()
    let serverStore = try SQLiteStore(path: bed.databasePath)
    try await serverStore.insertUser(Fixtures.user(id: "u1", at: bed.clock.now()))
    let configuration = ServerConfiguration(
      issuer: "http://127.0.0.1:9999",
      resources: [
        ResourceConfiguration(
          url: Fixtures.resourceURL, name: "Notes",
          scopes: [ScopeDefinition(name: "notes:read", description: "Read your notes")],
          defaultScopes: ["notes:read"])
      ], passwordHashLogN: 4)
    let app = try await buildApplication(
      configuration: configuration, store: serverStore, clock: bed.clock)
    try await app.test(.live) { client in
      // (1) A client added by the CLI can redeem a code at the running server.
      let added = await bed.run(
        "client", "add", "--id", "live-cli", "--name", "Live", "--redirect-uri", Self.redirect)
      #expect(added.code == 0)
      let (code, grantID) = try await Self.seedCode(serverStore, clock: bed.clock)
      let first = try await client.postForm("/token", Self.tokenRequest(code: code))
      #expect(first.status == .ok)
      let body = try Self.json(first)
      let refresh = try #require(body["refresh_token"] as? String)
      let oldAccess = try #require(body["access_token"] as? String)
      let oldKid = try #require(TokenDecoding.decode(oldAccess)?.header.kid)

      // (2) Revoking the grant from the CLI kills the refresh token at once.
      let revoked = await bed.run("grant", "revoke", grantID, "--yes")
      #expect(revoked.code == 0)
      let refused = try await client.postForm(
        "/token",
        [("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", "live-cli")])
      #expect(refused.status == .badRequest)
      #expect(try Self.json(refused)["error"] as? String == "invalid_grant")

      // (3) A rotation from the CLI is used once the server's 5 s key cache is stale.
      let rotated = try await bed.run("key", "rotate", "--json").object()
      let newKid = try #require(rotated["kid"] as? String)
      #expect(rotated["previous_kid"] as? String == oldKid)
      bed.clock.advance(by: 6)
      let (code2, _) = try await Self.seedCode(serverStore, clock: bed.clock)
      let second = try await client.postForm("/token", Self.tokenRequest(code: code2))
      #expect(second.status == .ok)
      let newAccess = try #require(try Self.json(second)["access_token"] as? String)
      #expect(TokenDecoding.decode(newAccess)?.header.kid == newKid)

      let jwks = try await client.execute(uri: "/jwks.json", method: .get)
      #expect(jwks.status == .ok)
      let jwksJSON = try Self.json(jwks)
      let keys = try #require(jwksJSON["keys"] as? [[String: Any]])
      #expect(Set(keys.compactMap { $0["kid"] as? String }) == [oldKid, newKid])
      let parsed = try JSONDecoder().decode(JWKS.self, from: Data(jwks.body.readableBytesView))
      let resolver = StaticKeyResolver(try parsed.keys.map { try VerificationKey(jwk: $0) })
      let validator = JWTValidator(
        issuer: configuration.issuer, audience: Fixtures.resourceURL, expectedType: "at+jwt")
      let now = Int64(bed.clock.now().timeIntervalSince1970)
      #expect(throws: Never.self) {
        try JWT.verify(oldAccess, keys: resolver, validator: validator, now: now)
      }
      #expect(throws: Never.self) {
        try JWT.verify(newAccess, keys: resolver, validator: validator, now: now)
      }
    }
    try serverStore.close()
  }

  /// Stores a code for `live-cli` as `/authorize` would, and returns it with its grant id.
  static func seedCode(_ store: SQLiteStore, clock: FixedClock) async throws -> (String, String) {
    let now = clock.now()
    let value = SecureRandom.token()
    let grant = Grant(
      id: Fixtures.randomID("grant"), userID: "u1", clientID: "live-cli",
      resource: Fixtures.resourceURL, scopes: ScopeSet(["notes:read"]), createdAt: now,
      expiresAt: now.addingTimeInterval(90 * 86_400))
    let code = AuthorizationCode(
      codeHash: SecretHash.of(value), grantID: grant.id, clientID: "live-cli", userID: "u1",
      resource: Fixtures.resourceURL, scopes: grant.scopes, redirectURI: redirect,
      redirectURIWasExplicit: true, codeChallenge: PKCE.s256Challenge(verifier: verifier),
      issuedAt: now, expiresAt: now.addingTimeInterval(60))
    try await store.issueCode(code, grant: grant)
    return (value, grant.id)
  }

  static func tokenRequest(code: String) -> [(String, String)] {
    [
      ("grant_type", "authorization_code"), ("code", code), ("code_verifier", verifier),
      ("redirect_uri", redirect), ("client_id", "live-cli"), ("resource", Fixtures.resourceURL),
    ]
  }

  static func json(_ response: TestResponse) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
        as? [String: Any])
  }
}

extension TestClientProtocol {
  func postForm(_ path: String, _ pairs: [(String, String)]) async throws -> TestResponse {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    let body = pairs.map { name, value in
      "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
    }.joined(separator: "&")
    return try await execute(
      uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
      body: ByteBuffer(string: body))
  }
}
