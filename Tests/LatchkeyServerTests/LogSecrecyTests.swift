import Foundation
import HTTPTypes
import LatchkeyServer
import Logging
import Synchronization
import Testing

/// The logs of a whole flow (JSON lines, every level) name requests, never their secrets.
@Suite("Logs: JSON lines, request ids, no secrets")
struct LogSecrecyTests {
  final class Capture: Sendable {
    let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }

    var logger: Logger {
      var logger = Logger(label: "latchkey") { label in
        JSONLogHandler(label: label) { line in self.lines.withLock { $0.append(line) } }
      }
      logger.logLevel = .trace
      return logger
    }
  }

  @Test func aFullFlowLogsNoTokenCodePasswordOrSecret() async throws {
    let server = try await TestAuthorizationServer()
    let capture = Capture()
    let (secrets, echoed) = try await server.run(.router, logger: capture.logger) { browser in
      var secrets: [String] = [TestAuthorizationServer.password, "wrong-password-value"]
      let parameters = AuthorizeParameters()
      secrets.append(parameters.codeVerifier)
      let authorization = try await browser.authorize(parameters)
      secrets.append(authorization.code)
      secrets += browser.cookies.values
      let tokens = try await browser.redeem(code: authorization.code, parameters)
      let body = try Wire.json(tokens)
      let refresh = try #require(body["refresh_token"] as? String)
      secrets += [try #require(body["access_token"] as? String), refresh]
      let rotated = try await browser.post(
        "/token",
        form: [
          ("grant_type", "refresh_token"), ("refresh_token", refresh),
          ("client_id", TestAuthorizationServer.clientID),
        ])
      let rotatedBody = try Wire.json(rotated)
      secrets += [try #require(rotatedBody["access_token"] as? String)]
      secrets += [try #require(rotatedBody["refresh_token"] as? String)]
      let wrongPassword = try await browser.authorizationRedirect(
        AuthorizeParameters(), password: "wrong-password-value"
      ).location
      _ = wrongPassword
      return (secrets, rotated.headers[HTTPField.Name("X-Request-Id")!])
    }
    let lines = capture.all
    #expect(lines.contains { $0.contains("\"message\":\"request\"") })
    for line in lines {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      #expect(object?["level"] != nil && object?["time"] != nil)
      for secret in secrets where secret.count >= 8 {
        #expect(!line.contains(secret), "a secret leaked into: \(line)")
      }
    }
    let id = try #require(echoed)
    #expect(lines.contains { $0.contains("\"request_id\":\"\(id)\"") })
  }

  @Test func eachAccessLineCarriesOneFreshRequestIDAndItIsEchoed() async throws {
    let server = try await TestAuthorizationServer()
    let capture = Capture()
    let echoed = try await server.run(.router, logger: capture.logger) { browser in
      var echoed: [String] = []
      for _ in 0..<3 {
        let response = try await browser.client.executeRequest(
          uri: "/healthz", method: .get, headers: [:], body: nil)
        echoed.append(try #require(response.headers[HTTPField.Name("X-Request-Id")!]))
      }
      return echoed
    }
    #expect(Set(echoed).count == 3)
    for id in echoed {
      #expect(id.wholeMatch(of: #/[A-Za-z0-9_-]{16}/#) != nil)
    }
    let accessLines = try capture.all.compactMap { line in
      try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
    }.filter { $0["message"] == "request" && $0["path"] == "/healthz" }
    #expect(accessLines.compactMap { $0["request_id"] } == echoed)
    // Hummingbird's own id is replaced, not repeated: one id per line.
    #expect(accessLines.allSatisfy { $0["hb.request.id"] == nil })
  }

  @Test func aSaneCallerRequestIDIsEchoedAndAWeirdOneReplaced() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run(.router) { browser in
      let name = HTTPField.Name("X-Request-Id")!
      var headers = HTTPFields()
      headers[name] = "edge-1234.abc_DEF"
      let kept = try await browser.client.executeRequest(
        uri: "/healthz", method: .get, headers: headers, body: nil)
      #expect(kept.headers[name] == "edge-1234.abc_DEF")
      headers[name] = "bad id with spaces"
      let replaced = try await browser.client.executeRequest(
        uri: "/healthz", method: .get, headers: headers, body: nil)
      #expect(replaced.headers[name].map { $0 != "bad id with spaces" && !$0.isEmpty } == true)
    }
  }
}
