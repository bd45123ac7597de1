import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyTestSupport
import NIOCore
import Testing

/// Every HTML page and every JSON answer of a whole flow, errors included, carries the security
/// headers: `nosniff` everywhere; pages also CSP `frame-ancestors 'none'`, `X-Frame-Options:
/// DENY`, `Referrer-Policy: no-referrer` and `no-store`; token and error answers `no-store`.
@Suite("Security headers on every HTML and JSON response")
struct SecurityHeaderTests {
  static func problems(_ name: String, _ response: TestResponse) -> [String] {
    var found: [String] = []
    func expect(_ field: String, _ wanted: (String?) -> Bool) {
      let value = response.headers[HTTPField.Name(field)!]
      if !wanted(value) {
        found.append("\(name) (\(response.status.code)): \(field) = \(value ?? "-")")
      }
    }
    let type = response.headers[.contentType] ?? ""
    expect("X-Content-Type-Options") { $0 == "nosniff" }
    if type.hasPrefix("text/html") {
      expect("X-Frame-Options") { $0 == "DENY" }
      expect("Referrer-Policy") { $0 == "no-referrer" }
      expect("Content-Security-Policy") { $0?.contains("frame-ancestors 'none'") == true }
      expect("Cache-Control") { $0 == "no-store" }
    } else if type.hasPrefix("application/json") {
      if response.status.code >= 400 { expect("Cache-Control") { $0 == "no-store" } }
    } else {
      found.append("\(name) (\(response.status.code)): unexpected Content-Type \(type)")
    }
    return found
  }

  @Test func aWholeFlowWithItsErrors() async throws {
    let server = try await TestAuthorizationServer()
    let seen: [(String, TestResponse)] = try await server.run { browser in
      var seen: [(String, TestResponse)] = []
      for path in [
        "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration",
        "/jwks.json", "/healthz",
      ] {
        seen.append((path, try await browser.get(path)))
      }
      let parameters = AuthorizeParameters()
      let login = try await browser.get(parameters.uri)
      seen.append(("login page", login))
      let wrong = try await browser.submit(
        login, replacing: ["username": nil],
        adding: [("username", TestAuthorizationServer.username), ("password", "wrong")])
      seen.append(("wrong password page", wrong))
      let consent = try await browser.submit(
        wrong, replacing: ["username": nil, "password": nil],
        adding: [
          ("username", TestAuthorizationServer.username),
          ("password", TestAuthorizationServer.password),
        ])
      seen.append(("consent page", consent))
      var unknownClient = AuthorizeParameters()
      unknownClient.clientID = "nobody"
      seen.append(("authorize error page", try await browser.get(unknownClient.uri)))
      let csrf = try await browser.post("/authorize", form: [("username", "x")])
      seen.append(("form without CSRF token", csrf))
      let redirect = try await browser.submit(consent, adding: [("decision", "approve")])
      let code = try AuthorizationRedirect(redirect).query["code"] ?? ""
      let token = try await browser.redeem(code: code, parameters)
      seen.append(("token", token))
      seen.append(("replayed code", try await browser.redeem(code: code, parameters)))
      seen.append(
        ("unsupported grant", try await browser.post("/token", form: [("grant_type", "password")])))
      let refresh =
        (try? JSONSerialization.jsonObject(with: Data(token.body.readableBytesView)))
        .flatMap { ($0 as? [String: Any])?["refresh_token"] as? String } ?? ""
      seen.append(
        (
          "refresh",
          try await browser.post(
            "/token",
            form: [
              ("grant_type", "refresh_token"), ("refresh_token", refresh),
              ("client_id", TestAuthorizationServer.clientID),
            ])
        ))
      seen.append(
        (
          "register",
          try await browser.send(
            "/register", method: .post,
            body: #"{"token_endpoint_auth_method":"none","redirect_uris":["http://127.0.0.1/cb"]}"#,
            contentType: "application/json")
        ))
      seen.append(
        (
          "register error",
          try await browser.send(
            "/register", method: .post, body: #"{"redirect_uris":["javascript:x"]}"#,
            contentType: "application/json")
        ))
      seen.append(
        (
          "revoke",
          try await browser.post(
            "/revoke", form: [("token", "x"), ("client_id", TestAuthorizationServer.clientID)])
        ))
      seen.append(
        ("introspect without client", try await browser.post("/introspect", form: [("token", "x")]))
      )
      seen.append(
        (
          "upstream-token without client",
          try await browser.post("/upstream-token", form: [("token", "x")])
        ))
      return seen
    }
    #expect(seen.count == 18)
    let problems = seen.flatMap { Self.problems($0.0, $0.1) }
    #expect(problems.isEmpty, "\(problems)")
  }
}
