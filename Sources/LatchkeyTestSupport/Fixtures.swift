public import Foundation
public import LatchkeyCore

/// Small builders for store rows, so tests state only what matters to them.
public enum Fixtures {
  public static func randomID(_ prefix: String = "id") -> String {
    "\(prefix)-\(UUID().uuidString.lowercased())"
  }

  /// A stand-in for the SHA-256 hex of a secret: stores only ever see hashes.
  public static func randomHash() -> String {
    (0..<4).map { _ in String(format: "%016llx", UInt64.random(in: .min ... .max)) }.joined()
  }

  public static func client(
    id: String = randomID("client"), origin: ClientOrigin = .dynamic, at time: Date,
    fingerprint: String? = nil
  ) -> Client {
    Client(
      id: id, name: "Test Client", origin: origin, redirectURIs: ["http://127.0.0.1/callback"],
      metadataFingerprint: fingerprint, createdAt: time)
  }

  public static func user(id: String = randomID("user"), username: String? = nil, at time: Date)
    -> User
  {
    User(
      id: id, username: username ?? id, passwordHash: "$scrypt$ln=4,r=8,p=1$c2FsdA$aGFzaA",
      createdAt: time)
  }

  public static let resourceURL = "https://mcp.example.com/mcp"

  public static func resource(url: String = resourceURL) -> Resource {
    Resource(
      url: url, name: "Notes",
      scopes: [
        ScopeDefinition(name: "notes:read", description: "Read your notes"),
        ScopeDefinition(name: "notes:write", description: "Change your notes"),
      ], defaultScopes: ScopeSet(["notes:read"]),
      toolScopes: ["add_note": ScopeSet(["notes:write"])])
  }

  public static func grant(
    id: String = randomID("grant"), userID: String, clientID: String, at time: Date,
    lifetime: TimeInterval = 30 * 86_400
  ) -> Grant {
    Grant(
      id: id, userID: userID, clientID: clientID, resource: resourceURL,
      scopes: ScopeSet(["notes:read"]), createdAt: time,
      expiresAt: time.addingTimeInterval(lifetime))
  }

  public static func code(
    hash: String = randomHash(), for grant: Grant, at time: Date, lifetime: TimeInterval = 60
  ) -> AuthorizationCode {
    AuthorizationCode(
      codeHash: hash, grantID: grant.id, clientID: grant.clientID, userID: grant.userID,
      resource: grant.resource, scopes: grant.scopes, redirectURI: "http://127.0.0.1/callback",
      redirectURIWasExplicit: true, codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      issuedAt: time, expiresAt: time.addingTimeInterval(lifetime))
  }

  public static func refreshToken(
    hash: String = randomHash(), for grant: Grant, at time: Date, lifetime: TimeInterval = 86_400,
    parentHash: String? = nil
  ) -> RefreshToken {
    RefreshToken(
      tokenHash: hash, grantID: grant.id, clientID: grant.clientID, scopes: grant.scopes,
      resource: grant.resource, issuedAt: time, expiresAt: time.addingTimeInterval(lifetime),
      parentHash: parentHash)
  }

  public static func signingKey(kid: String = randomID("kid"), at time: Date) -> SigningKeyRecord {
    SigningKeyRecord(
      kid: kid, algorithm: "ES256", privateKeyPEM: "-----BEGIN PRIVATE KEY-----\n…",
      state: .active, createdAt: time)
  }
}

extension Fixtures {
  /// The instant tests start at.
  public static let epoch = Date(timeIntervalSince1970: 1_800_000_000)
}
