import Foundation
import HTTPTypes
import Hummingbird
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyTestSupport
import Testing

@testable import LatchkeyServer

/// `private_key_jwt` to the upstream provider (RFC 7523 §2.2, OpenID Connect Core §9): the
/// stub provider verifies each assertion against the public key registered with it and
/// refuses one signed with another key; the key file must be mode 0600 and a usable key.
@Suite("identity providers: private_key_jwt to the provider", .serialized)
struct UpstreamPrivateKeyJWTTests {
  /// A key file of `key` with `mode`.
  static func keyFile(_ key: SigningKey, mode: Int = 0o600) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("latchkey-upstream-key-\(SecureRandom.token(byteCount: 8)).pem").path
    let pem = try key.privateKeyPEM()
    LeakScan.record([pem])
    #expect(
      FileManager.default.createFile(
        atPath: path, contents: Data(pem.utf8), attributes: [.posixPermissions: mode]))
    #expect(chmod(path, mode_t(mode)) == 0)
    return path
  }

  static func server(
    issuer: String, keyFile: String,
    adjust: @escaping (inout IdentityProviderConfiguration) -> Void = { _ in }
  ) async throws -> TestAuthorizationServer {
    try await UpstreamSignInTests.server(issuer: issuer) { provider in
      provider.clientSecretFile = nil
      provider.tokenEndpointAuthMethod = .privateKeyJWT
      provider.privateKeyFile = keyFile
      adjust(&provider)
    }
  }

  @Test(arguments: [JWSAlgorithm.es256, .rs256])
  func theProviderVerifiesTheAssertion(_ algorithm: JWSAlgorithm) async throws {
    let key = try SigningKey.generate(algorithm)
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    stub.assertionPolicy = .init(key: key.publicKey)
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer, keyFile: try Self.keyFile(key))
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let consent = try await UpstreamSignInTests.callback(stub, browser)
        #expect(consent.status == .ok)
      }
      let request = try #require(stub.tokenRequests.withLock { $0.first })
      #expect(request["authorization_header"] == "no" && request["client_secret"] == nil)
      #expect(request["client_id"] == StubOpenIDProvider.clientID)
      let assertion = try #require(request["client_assertion"])
      let parts = try JWT.unverifiedParts(assertion)
      #expect(parts.header.alg == algorithm.rawValue && parts.header.typ == "JWT")
      #expect(parts.header.kid == key.keyID)
      #expect(parts.claims.aud == .one(issuer + "/token"))
      let exp = try #require(parts.claims.exp)
      let iat = try #require(parts.claims.iat)
      #expect(iat == Int64(Fixtures.epoch.timeIntervalSince1970) && exp - iat == 120)
      #expect((parts.claims.jti?.count ?? 0) >= 22)
    }
  }

  @Test func keyIDAndTheIssuerAsAudienceAreSentWhenConfigured() async throws {
    let key = try SigningKey.generate(.es256)
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    try await stub.run { issuer in
      // Registered at the provider under the key id the operator chose.
      var jwk = key.publicKey.jwk
      jwk.kid = "latchkey-2026"
      stub.assertionPolicy = .init(key: try VerificationKey(jwk: jwk), audience: issuer)
      let server = try await Self.server(issuer: issuer, keyFile: try Self.keyFile(key)) {
        $0.keyID = "latchkey-2026"
        $0.assertionAudience = .issuer
      }
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let response = try await UpstreamSignInTests.callback(stub, browser)
        #expect(response.status == .ok)
      }
      let assertion = try #require(stub.tokenRequests.withLock { $0.first?["client_assertion"] })
      let parts = try JWT.unverifiedParts(assertion)
      #expect(parts.header.kid == "latchkey-2026" && parts.claims.aud == .one(issuer))
    }
  }

  @Test func anAssertionSignedWithAnotherKeyIsRefusedAndNothingIssued() async throws {
    let registered = try SigningKey.generate(.es256)
    let other = try SigningKey.generate(.es256)
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    stub.assertionPolicy = .init(key: registered.publicKey)
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer, keyFile: try Self.keyFile(other))
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let response = try await UpstreamSignInTests.callback(stub, browser)
        #expect(response.status == .badGateway)
        let body = String(buffer: response.body)
        #expect(body.contains("Sign-in provider unavailable") && !body.contains("eyJ"))
      }
      let events = try await server.auditEvents(type: "login.upstream_refused")
      #expect(events.map(\.detail) == ["provider stub: token request refused (HTTP 401)"])
      #expect(try await server.allGrants().isEmpty)
      #expect(try await server.store.users().allSatisfy { !$0.id.hasPrefix("idp_") })
    }
  }

  @Test func anAssertionForAnotherAudienceIsRefused() async throws {
    let key = try SigningKey.generate(.es256)
    let stub = try StubOpenIDProvider { Int64(Fixtures.epoch.timeIntervalSince1970) }
    stub.assertionPolicy = .init(key: key.publicKey, audience: "https://elsewhere.example")
    try await stub.run { issuer in
      let server = try await Self.server(issuer: issuer, keyFile: try Self.keyFile(key))
      try await server.run(fetcher: UpstreamSignInTests.fetcher) { browser in
        let response = try await UpstreamSignInTests.callback(stub, browser)
        #expect(response.status == .badGateway)
      }
      #expect(try await server.allGrants().isEmpty)
    }
  }

  @Test func theStubRefusesAReplayedAssertion() throws {
    let key = try SigningKey.generate(.es256)
    let stub = try StubOpenIDProvider { 1_000 }
    let policy = StubOpenIDProvider.AssertionPolicy(key: key.publicKey, audience: "aud")
    let assertion = try UpstreamClientAssertion.sign(
      clientID: StubOpenIDProvider.clientID, audience: "aud", key: key, keyID: nil, now: 1_000)
    let form = [
      "client_assertion_type": UpstreamClientAssertion.assertionType,
      "client_assertion": assertion,
    ]
    #expect(stub.acceptsAssertion(form, header: nil, policy))
    #expect(!stub.acceptsAssertion(form, header: nil, policy))
  }

  // MARK: - the key file, refused at start

  static func providers(keyFile: String) throws(ConfigurationError) -> IdentityProviders {
    var provider = IdentityProviderConfiguration(
      id: "corp", issuer: "https://idp.example.com", clientID: "latchkey")
    provider.tokenEndpointAuthMethod = .privateKeyJWT
    provider.privateKeyFile = keyFile
    #expect(provider.problem == nil)
    return try IdentityProviders(
      [provider], fetcher: UpstreamSignInTests.fetcher, environment: [:])
  }

  @Test func aKeyFileOthersCanReadIsRefused() throws {
    let path = try Self.keyFile(try SigningKey.generate(.es256), mode: 0o644)
    let message =
      "identity provider \"corp\": private_key_file \(path) has mode 644, wider than 600; run chmod 600 on it"
    #expect(throws: ConfigurationError.invalid(message)) { try Self.providers(keyFile: path) }
    var provider = IdentityProviderConfiguration(
      id: "corp", issuer: "https://idp.example.com", clientID: "latchkey")
    provider.tokenEndpointAuthMethod = .privateKeyJWT
    provider.privateKeyFile = path
    #expect(provider.credentialProblem(environment: [:]) == message)
    #expect(chmod(path, 0o600) == 0)
    #expect(provider.credentialProblem(environment: [:]) == nil)
    #expect(try Self.providers(keyFile: path).providers[0].assertionKey != nil)
  }

  @Test func aKeyFileWithoutAUsableKeyIsRefused() throws {
    let missing = "/nonexistent/latchkey-key.pem"
    #expect(
      throws: ConfigurationError.invalid(
        "identity provider \"corp\": private_key_file \(missing) cannot be read")
    ) { try Self.providers(keyFile: missing) }
    let ed25519 = try Self.keyFile(try SigningKey.generate(.edDSA))
    let garbage = FileManager.default.temporaryDirectory
      .appendingPathComponent("latchkey-not-a-key-\(SecureRandom.token(byteCount: 8))").path
    #expect(
      FileManager.default.createFile(
        atPath: garbage, contents: Data("not a key\n".utf8),
        attributes: [.posixPermissions: 0o600]))
    for path in [ed25519, garbage] {
      #expect(
        throws: ConfigurationError.invalid(
          "identity provider \"corp\": private_key_file \(path) is not an unencrypted PEM EC P-256 or RSA (2048 bits or more) private key"
        )
      ) { try Self.providers(keyFile: path) }
    }
  }

  @Test(
    arguments: [
      ("private_key_jwt", nil, "/k.pem", nil, nil),
      (
        "private_key_jwt", "/s", "/k.pem",
        "identity provider \"corp\": private_key_jwt authenticates with private_key_file; remove the client secret",
        nil
      ),
      (
        "private_key_jwt", nil, nil,
        "identity provider \"corp\": private_key_jwt needs private_key_file", nil
      ),
      (
        "private_key_jwt", nil, "/k.pem",
        "identity provider \"corp\": key_id must be 1–255 characters", ""
      ),
      (
        "client_secret_basic", "/s", "/k.pem",
        "identity provider \"corp\": private_key_file, key_id and assertion_audience need token_endpoint_auth_method private_key_jwt",
        nil
      ),
      (
        "client_secret_post", "/s", nil,
        "identity provider \"corp\": private_key_file, key_id and assertion_audience need token_endpoint_auth_method private_key_jwt",
        "k1"
      ),
    ] as [(String, String?, String?, String?, String?)])
  func clientAuthenticationSettingsThatCannotWorkAreProblems(
    method: String, secretFile: String?, keyFile: String?, problem: String?, keyID: String?
  ) throws {
    var provider = IdentityProviderConfiguration(
      id: "corp", issuer: "https://idp.example.com", clientID: "latchkey",
      clientSecretFile: secretFile)
    provider.tokenEndpointAuthMethod = try #require(.init(rawValue: method))
    provider.privateKeyFile = keyFile
    provider.keyID = keyID
    #expect(provider.problem == problem)
  }

  @Test func theSettingsAreReadFromTheFile() throws {
    let json =
      #"{"issuer": "https://auth.example.com", "identity_providers": [{"id": "corp", "#
      + #""issuer": "https://idp.example.com", "client_id": "latchkey", "#
      + #""token_endpoint_auth_method": "private_key_jwt", "private_key_file": "/k.pem", "#
      + #""key_id": "k1", "assertion_audience": "issuer"}]}"#
    let configuration = try ConfigurationFile.decode(
      ServerConfiguration.self, from: Data(json.utf8), file: "x.json")
    let provider = try #require(configuration.identityProviders.first)
    #expect(provider.tokenEndpointAuthMethod == .privateKeyJWT)
    #expect(provider.privateKeyFile == "/k.pem" && provider.keyID == "k1")
    #expect(provider.assertionAudience == .issuer && provider.problem == nil)
  }
}
