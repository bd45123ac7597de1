import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import LatchkeySQLite
import NIOCore
import Testing

/// Concurrent requests over a real socket on a real SQLite file: refresh-token rotation,
/// idempotent registration and consent approval keep their promises under races.
/// (50 concurrent code redemptions: `FullFlowOverSocketTests`.)
@Suite("Races over HTTP on SQLite")
struct RaceTests {
  static func server() async throws -> (TestAuthorizationServer, SQLiteStore, String) {
    let (store, directory) = try FullFlowOverSocketTests.temporaryStore()
    let server = try await TestAuthorizationServer(issuer: "http://127.0.0.1:9", store: store)
    return (server, store, directory)
  }

  static func refreshForm(_ token: String) -> [(String, String)] {
    [
      ("grant_type", "refresh_token"), ("refresh_token", token),
      ("client_id", TestAuthorizationServer.clientID),
    ]
  }

  @Test func fiftyConcurrentRefreshesOfOneTokenShareOneSuccessor() async throws {
    let (server, store, directory) = try await Self.server()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try await server.run(.live) { browser in
      let parameters = AuthorizeParameters()
      let authorization = try await browser.authorize(parameters)
      let tokens = try await browser.redeem(code: authorization.code, parameters)
      let first = try #require(try Wire.json(tokens)["refresh_token"] as? String)
      let outcomes = try await withThrowingTaskGroup(of: (Int, String?, String?).self) { group in
        for _ in 0..<50 {
          group.addTask {
            let response = try await browser.post("/token", form: Self.refreshForm(first))
            let body = try? Wire.json(response)
            return (
              response.status.code, body?["refresh_token"] as? String, body?["error"] as? String
            )
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(outcomes.allSatisfy { $0.0 == 200 || ($0.0 == 400 && $0.2 == "invalid_grant") })
      #expect(outcomes.allSatisfy { $0.0 < 500 })
      let successors = Set(outcomes.compactMap(\.1))
      #expect(successors.count == 1, "every 200 carries the same successor")
      #expect(outcomes.filter { $0.0 == 200 }.count >= 1)
      let successor = try #require(successors.first)
      #expect(successor != first)
      // The one live successor rotates; the family is intact.
      let next = try await browser.post("/token", form: Self.refreshForm(successor))
      #expect(next.status == .ok)
    }
    let grants = try await store.grants(matching: .init(includeRevoked: true))
    #expect(grants.count == 1)
    #expect(grants.allSatisfy { $0.revokedAt == nil })
    #expect(try await server.auditEvents(type: "refresh.reuse_detected").isEmpty)
  }

  @Test func twentyConcurrentIdenticalPublicRegistrationsMakeOneClient() async throws {
    let (server, store, directory) = try await Self.server()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let before = try await store.clients().count
    let metadata = """
      {"client_name":"Racing Client","redirect_uris":["http://127.0.0.1:40000/callback"],
       "token_endpoint_auth_method":"none","grant_types":["authorization_code","refresh_token"],
       "application_type":"native","software_id":"race"}
      """
    let ids = try await server.run(.live) { browser in
      try await withThrowingTaskGroup(of: (Int, String?).self) { group in
        for _ in 0..<20 {
          group.addTask {
            let response = try await browser.client.execute(
              uri: "/register", method: .post, headers: [.contentType: "application/json"],
              body: ByteBuffer(string: metadata))
            return (response.status.code, try? Wire.json(response)["client_id"] as? String)
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
    }
    #expect(ids.allSatisfy { $0.0 == 201 })
    #expect(Set(ids.compactMap(\.1)).count == 1)
    #expect(try await store.clients().count == before + 1)
  }

  @Test func parallelConsentApprovalsForOneUserAndClientKeepTheUnion() async throws {
    let (server, store, directory) = try await Self.server()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let rounds = 8
    for round in 0..<rounds {
      try await server.addUser(
        id: "user-\(round)", username: "racer\(round)", password: "pw-\(round)-long-enough")
    }
    try await server.run(.live) { browser in
      for round in 0..<rounds {
        // Two browsers of the same user reach the consent page for different scopes...
        let pages = try await withThrowingTaskGroup(of: (TestBrowser, TestResponse).self) {
          group in
          for scope in ["notes:read", "notes:write"] {
            group.addTask {
              let other = TestBrowser(client: browser.client)
              var parameters = AuthorizeParameters()
              parameters.scope = scope
              let login = try await other.get(parameters.uri)
              let consent = try await other.submit(
                login, replacing: ["username": nil, "password": nil],
                adding: [("username", "racer\(round)"), ("password", "pw-\(round)-long-enough")])
              return (other, consent)
            }
          }
          return try await group.reduce(into: []) { $0.append($1) }
        }
        // ...and approve at the same moment.
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
          for (other, page) in pages {
            group.addTask {
              try await other.submit(page, adding: [("decision", "approve")]).status.code
            }
          }
          return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == [303, 303])
      }
    }
    for round in 0..<rounds {
      let consents = try await store.consents(userID: "user-\(round)")
      #expect(consents.count == 1)
      #expect(consents.first?.scopes == ScopeSet(["notes:read", "notes:write"]))
    }
  }
}
