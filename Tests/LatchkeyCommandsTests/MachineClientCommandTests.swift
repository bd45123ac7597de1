import Foundation
import LatchkeyCore
import LatchkeyJOSE
import Testing

/// Issue 25 §1 in the CLI: machine clients, `private_key_jwt` keys, secret rotation with overlap.
@Suite("latchkey client: machine clients")
struct MachineClientCommandTests {
  @Test func aClientCredentialsClientNeedsNoRedirectURIAndMustBeConfidential() async throws {
    let bed = try CLITestbed()
    let added = try await bed.run(
      "client", "add", "--id", "ci-bot", "--name", "CI", "--grant-type", "client_credentials",
      "--auth-method", "client_secret_basic", "--scope", "notes:read", "--json"
    ).object()
    #expect(added["client_secret"] is String)
    let stored = try #require(try await bed.store.client(id: "ci-bot"))
    #expect(stored.grantTypes == [.clientCredentials])
    #expect(stored.redirectURIs.isEmpty)
    let publicBot = await bed.run(
      "client", "add", "--id", "pub-bot", "--name", "P", "--grant-type", "client_credentials")
    #expect(publicBot.code == 1)
    #expect(publicBot.err.contains("confidential"))
    #expect(try await bed.store.client(id: "pub-bot") == nil)
  }

  @Test func privateKeyJWTKeysAreStoredWithoutPrivateMembers() async throws {
    let bed = try CLITestbed()
    let key = try SigningKey.generate(.es256)
    var jwk = try #require(
      try JSONSerialization.jsonObject(with: JSONEncoder().encode(key.publicKey.jwk))
        as? [String: Any])
    jwk["d"] = "cHJpdmF0ZQ"  // a private member the file must not carry into the store
    let file = bed.directory.appendingPathComponent("jwks.json")
    try JSONSerialization.data(withJSONObject: ["keys": [jwk]]).write(to: file)
    let added = await bed.run(
      "client", "add", "--id", "signer", "--name", "Signer", "--grant-type", "client_credentials",
      "--auth-method", "private_key_jwt", "--jwks-file", file.path)
    #expect(added.code == 0)
    #expect(!added.out.contains("client_secret"))
    let stored = try #require(try await bed.store.client(id: "signer"))
    #expect(stored.tokenEndpointAuthMethod == .privateKeyJWT)
    #expect(stored.secretHash == nil)
    let jwks = try #require(stored.jwks)
    #expect(!jwks.contains("\"d\""))
    #expect(jwks.contains(try #require(key.publicKey.jwk.x)))
    let noKeys = await bed.run(
      "client", "add", "--name", "X", "--grant-type", "client_credentials", "--auth-method",
      "private_key_jwt")
    #expect(noKeys.code == 64)
    let httpURI = await bed.run(
      "client", "add", "--name", "X", "--grant-type", "client_credentials", "--auth-method",
      "private_key_jwt", "--jwks-uri", "http://keys.example/j.json")
    #expect(httpURI.code == 64)
  }

  @Test func rotateSecretKeepsTheOldOneForTheOverlap() async throws {
    let bed = try CLITestbed()
    let added = try await bed.run(
      "client", "add", "--id", "ci-bot", "--name", "CI", "--grant-type", "client_credentials",
      "--auth-method", "client_secret_post", "--json"
    ).object()
    let first = try #require(added["client_secret"] as? String)
    _ = try await bed.run(
      "client", "rotate-secret", "ci-bot", "--keep-old", "24h", "--yes", "--json"
    )
    .object()
    let kept = try #require(try await bed.store.client(id: "ci-bot"))
    #expect(kept.previousSecretHash == SecretHash.of(first))
    let overlap = try #require(kept.previousSecretExpiresAt).timeIntervalSince(kept.createdAt)
    #expect(overlap > 86_000 && overlap < 87_000)
    _ = await bed.run("client", "rotate-secret", "ci-bot", "--yes")
    let cleared = try #require(try await bed.store.client(id: "ci-bot"))
    #expect(cleared.previousSecretHash == nil && cleared.previousSecretExpiresAt == nil)
    let bad = await bed.run("client", "rotate-secret", "ci-bot", "--keep-old", "soon", "--yes")
    #expect(bad.code == 64)
  }
}
