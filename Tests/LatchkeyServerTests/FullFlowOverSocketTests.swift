import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import LatchkeyJOSE
import LatchkeySQLite
import Testing

/// The whole authorization-code + PKCE + refresh flow on a real socket and a real SQLite file,
/// driven through the real HTML forms, as an MCP client and its user would.
@Suite("Full flow over a socket on SQLite")
struct FullFlowOverSocketTests {
  static func temporaryStore() throws -> (SQLiteStore, String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "latchkey-flow-\(UUID().uuidString)")
    let path = directory.appendingPathComponent("latchkey.sqlite").path
    return (try SQLiteStore(path: path), directory.path)
  }

  @Test func authorizeLoginConsentTokenRefreshRevoke() async throws {
    let (store, directory) = try Self.temporaryStore()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let server = try await TestAuthorizationServer(issuer: "http://127.0.0.1:9", store: store)
    try await server.run(.live) { browser in
      var parameters = AuthorizeParameters()
      parameters.scope = "notes:read notes:write"
      let authorization = try await browser.authorize(parameters)
      #expect(authorization.iss == server.issuer)
      #expect(authorization.state == parameters.state)

      let tokens = try await browser.redeem(code: authorization.code, parameters)
      #expect(tokens.status == .ok)
      #expect(tokens.headers[.cacheControl] == "no-store")
      let body = try Wire.json(tokens)
      let access = try #require(body["access_token"] as? String)
      let refresh = try #require(body["refresh_token"] as? String)
      #expect(body["scope"] as? String == "notes:read notes:write")

      let jwks = try await browser.get("/jwks.json")
      let keys = try JSONDecoder().decode(JWKS.self, from: Data(jwks.body.readableBytesView))
      let verified = try JWT.verify(
        access, keys: StaticKeyResolver(try keys.keys.map { try VerificationKey(jwk: $0) }),
        validator: JWTValidator(
          issuer: server.issuer, audience: TestAuthorizationServer.resourceURL,
          expectedType: "at+jwt"),
        now: Int64(server.clock.now().timeIntervalSince1970))
      #expect(verified.claims.sub == TestAuthorizationServer.userID)
      #expect(verified.claims.clientID == TestAuthorizationServer.clientID)

      let refreshForm = [
        ("grant_type", "refresh_token"), ("refresh_token", refresh),
        ("client_id", TestAuthorizationServer.clientID),
      ]
      let rotated = try await browser.post("/token", form: refreshForm)
      #expect(rotated.status == .ok)
      let successor = try #require(try Wire.json(rotated)["refresh_token"] as? String)
      let retried = try await browser.post("/token", form: refreshForm)
      #expect(try Wire.json(retried)["refresh_token"] as? String == successor)

      let revoked = try await browser.post(
        "/revoke",
        form: [("token", successor), ("client_id", TestAuthorizationServer.clientID)])
      #expect(revoked.status == .ok)
      let afterRevoke = try await browser.post(
        "/token",
        form: [
          ("grant_type", "refresh_token"), ("refresh_token", successor),
          ("client_id", TestAuthorizationServer.clientID),
        ])
      #expect(try Wire.errorCode(afterRevoke) == "invalid_grant")
    }
    #expect(try await store.grants(matching: .init(includeRevoked: true)).count == 1)
    #expect(try await store.grants(matching: .init()).isEmpty)
    for type in [
      "login.succeeded", "consent.granted", "code.issued", "token.issued", "token.refreshed",
      "token.revoked",
    ] {
      #expect(try await !server.auditEvents(type: type).isEmpty, "audit \(type)")
    }
  }

  @Test func fiftyConcurrentRedemptionsOverTheSocketHaveOneWinner() async throws {
    let (store, directory) = try Self.temporaryStore()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let server = try await TestAuthorizationServer(issuer: "http://127.0.0.1:9", store: store)
    try await server.run(.live) { browser in
      let parameters = AuthorizeParameters()
      let authorization = try await browser.authorize(parameters)
      let outcomes = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) {
        group in
        for _ in 0..<50 {
          group.addTask {
            let response = try await browser.redeem(code: authorization.code, parameters)
            return (response.status, try? Wire.errorCode(response))
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(outcomes.filter { $0.0 == .ok }.count == 1)
      #expect(outcomes.filter { $0.1 == "invalid_grant" }.count == 49)
    }
    #expect(try await store.grants(matching: .init()).isEmpty)
  }
}
