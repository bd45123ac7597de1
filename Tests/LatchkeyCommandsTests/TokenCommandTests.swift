import Foundation
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyTestSupport
import Testing

@testable import LatchkeyCommands

@Suite("latchkey token")
struct TokenCommandTests {
  /// An access token signed by the database's active key, as the server would mint it.
  static func accessToken(
    _ bed: CLITestbed, issuer: String = "http://127.0.0.1:9999", lifetime: Int64 = 3600
  )
    async throws -> String
  {
    let record = try #require(try await bed.store.signingKeys().first { $0.state == .active })
    let key = try SigningKey(privateKeyPEM: record.privateKeyPEM, algorithm: .es256)
    let now = Int64(bed.clock.now().timeIntervalSince1970)
    let claims = JWTClaims(
      iss: issuer, sub: "u1", aud: .one(Fixtures.resourceURL), exp: now + lifetime, iat: now,
      jti: "jti-1", clientID: "c1", scope: "notes:read")
    return try JWT.sign(claims, key: key, type: "at+jwt")
  }

  @Test func inspectVerifiesAgainstTheDatabaseKeys() async throws {
    let bed = try CLITestbed()
    _ = await bed.run("key", "rotate")
    let token = try await Self.accessToken(bed)
    let text = await bed.run("token", "inspect", stdin: token + "\n")
    #expect(text.code == 0)
    #expect(text.out.contains("sub:       u1"))
    #expect(text.out.contains("client_id: c1"))
    #expect(text.out.contains("(active)"))
    #expect(text.out.contains("valid:     yes, for 1h0m"))
    #expect(!text.out.contains(token) && !text.err.contains(token))
    #expect(!text.out.contains(token.split(separator: ".")[2]))

    let json = try await bed.run("token", "inspect", "--json", stdin: token).object()
    #expect(json["valid"] as? Bool == true)
    #expect(json["problem"] is NSNull)
    #expect(json["key_state"] as? String == "active")
    let claims = try #require(json["claims"] as? [String: Any])
    #expect(claims["aud"] as? String == Fixtures.resourceURL)
    #expect(claims["scope"] as? String == "notes:read")
    let header = try #require(json["header"] as? [String: Any])
    #expect(header["typ"] as? String == "at+jwt")

    // After a rotation the old key is published: the token still verifies.
    _ = await bed.run("key", "rotate")
    let published = try await bed.run("token", "inspect", "--json", stdin: token).object()
    #expect(published["valid"] as? Bool == true)
    #expect(published["key_state"] as? String == "published")
  }

  @Test func inspectReportsExpiryRetiredKeysAndGarbage() async throws {
    let bed = try CLITestbed()
    _ = await bed.run("key", "rotate")
    let token = try await Self.accessToken(bed)
    bed.clock.advance(by: 3601)
    let expired = await bed.run("token", "inspect", stdin: token)
    #expect(expired.code == 1)
    #expect(expired.out.contains("valid:     no: it has expired"))
    #expect(expired.err == "error: the token is not valid: it has expired.\n")

    let foreign = try await Self.accessToken(bed, issuer: "https://evil.example")
    let wrongIssuer = await bed.run("token", "inspect", stdin: foreign)
    #expect(wrongIssuer.err.contains("iss is not this server's issuer"))

    let fresh = try await Self.accessToken(bed)
    _ = await bed.run("key", "rotate")
    let kid = try await bed.store.signingKeys()[0].kid
    _ = await bed.run("key", "retire", "--force", "--yes", "--", kid)
    let retired = await bed.run("token", "inspect", stdin: fresh)
    #expect(retired.code == 1)
    #expect(retired.err.contains("signed by the retired key \(kid)"))

    let garbage = await bed.run("token", "inspect", stdin: "not-a-jwt")
    #expect(garbage.code == 1)
    #expect(garbage.err.contains("not a JWT"))
    let empty = await bed.run("token", "inspect", stdin: "")
    #expect(empty.err == "error: no token was given on standard input.\n")
  }

  @Test func revokeARefreshTokenRevokesItsGrant() async throws {
    let bed = try CLITestbed()
    let now = bed.clock.now()
    try await bed.store.insertUser(Fixtures.user(id: "u1", at: now))
    try await bed.store.insertClient(Fixtures.client(id: "c1", at: now))
    let grant = Fixtures.grant(id: "g1", userID: "u1", clientID: "c1", at: now)
    try await bed.store.issueCode(Fixtures.code(for: grant, at: now), grant: grant)
    let value = SecureRandom.token()
    _ = try await bed.store.issueRefreshToken(
      Fixtures.refreshToken(hash: SecretHash.of(value), for: grant, at: now))

    let refused = await bed.run("token", "revoke", stdin: value)
    #expect(refused.code == 1)
    #expect(refused.err.contains("--yes"))
    #expect(try await bed.store.grant(id: "g1")?.revokedAt == nil)

    let revoked = await bed.run("token", "revoke", "--yes", stdin: value + "\n")
    #expect(revoked.code == 0)
    #expect(revoked.out.contains("revoked grant g1"))
    #expect(!revoked.out.contains(value))
    #expect(try await bed.store.grant(id: "g1")?.revokedAt != nil)
    #expect(try await bed.cliAudit().map(\.type) == ["cli.token.revoked"])

    let unknown = await bed.run("token", "revoke", "--yes", stdin: "unknown-token")
    #expect(unknown.err == "error: no refresh token matches the token given.\n")
    _ = await bed.run("key", "rotate")
    let access = await bed.run("token", "revoke", "--yes", stdin: try await Self.accessToken(bed))
    #expect(access.code == 1)
    #expect(access.err.contains("access token"))
  }
}
