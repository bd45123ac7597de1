import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import LatchkeyJOSE
import LatchkeySQLite
import LatchkeyTestSupport
import NIOCore
import Testing

/// Issue 21 part 3: a value holding a control character is refused at the edge, before any
/// lookup. On SQLite a key with a NUL used to match its prefix (`client_id=<id>%00`), so each
/// case appends a control character to an otherwise valid value, on a real SQLite file over a
/// real socket, and the valid code and refresh token are still redeemable afterwards.
extension HostileInputTests {
  static let confidentialID = "resource-server"
  static let confidentialSecret = "rs-secret-" + String(repeating: "s", count: 32)

  /// A real code for the test client, stored as `/authorize` would.
  static func seedCode(_ server: TestAuthorizationServer) async throws -> String {
    let now = server.clock.now()
    let value = SecureRandom.token()
    let scopes = ScopeSet(["notes:read"])
    let grant = Grant(
      id: "grant-control", userID: TestAuthorizationServer.userID, clientID: client,
      resource: TestAuthorizationServer.resourceURL, scopes: scopes, createdAt: now,
      expiresAt: now.addingTimeInterval(86_400))
    try await server.store.issueCode(
      AuthorizationCode(
        codeHash: SecretHash.of(value), grantID: grant.id, clientID: client,
        userID: TestAuthorizationServer.userID, resource: TestAuthorizationServer.resourceURL,
        scopes: scopes, redirectURI: registered, redirectURIWasExplicit: true,
        codeChallenge: PKCE.s256Challenge(verifier: EndpointHarness.verifier), issuedAt: now,
        expiresAt: now.addingTimeInterval(60)), grant: grant)
    LeakScan.record([value])
    return value
  }

  static func check(
    _ response: TestResponse, _ expected: (status: Int, error: String), _ label: String
  ) -> [String] {
    var problems: [String] = []
    if Int(response.status.code) != expected.status {
      problems.append("\(label): status \(response.status.code), expected \(expected.status)")
    }
    let json =
      (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)))
      as? [String: Any]
    if json?["error"] as? String != expected.error {
      problems.append("\(label): error \(json?["error"] ?? "none"), expected \(expected.error)")
    }
    return problems
  }

  @Test func aControlCharacterInAnyFormParameterIsRefusedBeforeAnyLookup() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "latchkey-control-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try SQLiteStore(path: directory.appendingPathComponent("latchkey.sqlite").path)
    let server = try await TestAuthorizationServer(issuer: "http://127.0.0.1:9", store: store)
    try await store.insertClient(
      Client(
        id: Self.confidentialID, name: "RS", origin: .preregistered,
        redirectURIs: ["https://rs.example.com/cb"], tokenEndpointAuthMethod: .clientSecretPost,
        applicationType: .web, secretHash: SecretHash.of(Self.confidentialSecret),
        createdAt: server.clock.now()))
    LeakScan.record([Self.confidentialSecret])
    let code = try await Self.seedCode(server)
    let redeem: [(String, String)] = [
      ("grant_type", "authorization_code"), ("code", code),
      ("code_verifier", EndpointHarness.verifier), ("redirect_uri", Self.registered),
      ("client_id", Self.client), ("resource", TestAuthorizationServer.resourceURL),
      ("scope", "notes:read"),
    ]
    let before = try await Snapshot(server)
    let problems = try await server.run(.live) { browser in
      var problems: [String] = []
      // /token, authorization_code grant: every parameter.
      for control in ControlCharacterCorpus.characters {
        let label = ControlCharacterCorpus.name(control)
        for (parameter, _) in redeem {
          let response = try await browser.post(
            "/token", form: ControlCharacterCorpus.poisoned(redeem, parameter, control))
          problems += Self.check(
            response, ControlCharacterCorpus.expected(parameter), "token \(parameter) \(label)")
        }
        // The client id in HTTP Basic credentials.
        for (id, secret) in [(Self.confidentialID + control, "x"), ("x", "s" + control)] {
          let response = try await browser.client.executeRequest(
            uri: "/token", method: .post,
            headers: [
              .contentType: "application/x-www-form-urlencoded",
              .authorization: Wire.basic(id, secret),
            ], body: ByteBuffer(string: "grant_type=refresh_token&refresh_token=x"))
          problems += Self.check(response, (401, "invalid_client"), "token Basic \(label)")
        }
      }
      return problems
    }
    for problem in problems { Issue.record(Comment(rawValue: problem)) }
    #expect(try await Snapshot(server) == before, "nothing issued or stored")
    #expect(try await server.auditEvents(type: "token.issued").isEmpty)

    // The untouched request still redeems the code: no refusal consumed it.
    let refresh = try await server.run(.live) { browser in
      let response = try await browser.post(
        "/token", form: redeem.filter { $0.0 != "scope" })
      #expect(response.status == .ok)
      return try #require(try Wire.json(response)["refresh_token"] as? String)
    }
    LeakScan.record([refresh])
    try await refreshRevokeAndIntrospectRefuseControlCharacters(server, refresh: refresh)
  }

  /// The refresh grant, `/revoke`, `/introspect` and `/upstream-token` with a real refresh
  /// token.
  func refreshRevokeAndIntrospectRefuseControlCharacters(
    _ server: TestAuthorizationServer, refresh: String
  ) async throws {
    let refreshForm: [(String, String)] = [
      ("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", Self.client),
      ("resource", TestAuthorizationServer.resourceURL), ("scope", "notes:read"),
    ]
    let revokeForm: [(String, String)] = [
      ("client_id", Self.client), ("token", refresh), ("token_type_hint", "refresh_token"),
    ]
    let introspectForm: [(String, String)] = [
      ("client_id", Self.confidentialID), ("client_secret", Self.confidentialSecret),
      ("token", refresh), ("token_type_hint", "refresh_token"),
    ]
    let upstreamTokenForm: [(String, String)] = [
      ("client_id", Self.confidentialID), ("client_secret", Self.confidentialSecret),
      ("token", refresh),
    ]
    let endpoints = [
      ("/token", refreshForm), ("/revoke", revokeForm), ("/introspect", introspectForm),
      ("/upstream-token", upstreamTokenForm),
    ]
    let before = try await Snapshot(server)
    let problems = try await server.run(.live) { browser in
      var problems: [String] = []
      for control in ControlCharacterCorpus.characters {
        for (path, form) in endpoints {
          for (parameter, _) in form {
            let response = try await browser.post(
              path, form: ControlCharacterCorpus.poisoned(form, parameter, control))
            problems += Self.check(
              response, ControlCharacterCorpus.expected(parameter),
              "\(path) \(parameter) \(ControlCharacterCorpus.name(control))")
          }
        }
      }
      return problems
    }
    for problem in problems { Issue.record(Comment(rawValue: problem)) }
    #expect(try await Snapshot(server) == before, "nothing revoked, rotated or issued")
    let record = try #require(try await server.store.refreshToken(hash: SecretHash.of(refresh)))
    #expect(record.rotatedAt == nil)
    #expect(record.revokedAt == nil)
  }

  @Test func aControlCharacterInAnyRegistrationMemberIsRefused() async throws {
    var server = try await TestAuthorizationServer()
    server.configuration.registration.perMinutePerSource = 100_000
    server.configuration.registration.perMinuteGlobal = 100_000
    let before = try await Snapshot(server)
    let problems = try await server.run(.live) { browser in
      var problems: [String] = []
      for control in ControlCharacterCorpus.characters {
        for (member, body) in ControlCharacterCorpus.poisonedRegistrations(control) {
          let response = try await browser.client.executeRequest(
            uri: "/register", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(bytes: body))
          let error = member == "redirect_uris" ? "invalid_redirect_uri" : "invalid_client_metadata"
          problems += Self.check(
            response, (400, error), "register \(member) \(ControlCharacterCorpus.name(control))")
        }
      }
      // The same document without a control character registers: the table tests one thing.
      let clean = try JSONSerialization.data(withJSONObject: ControlCharacterCorpus.registration)
      let response = try await browser.client.executeRequest(
        uri: "/register", method: .post, headers: [.contentType: "application/json"],
        body: ByteBuffer(bytes: clean))
      if response.status != .created { problems.append("clean registration: \(response.status)") }
      return problems
    }
    for problem in problems { Issue.record(Comment(rawValue: problem)) }
    #expect(try await Snapshot(server).clients.count == before.clients.count + 1)
  }
}
