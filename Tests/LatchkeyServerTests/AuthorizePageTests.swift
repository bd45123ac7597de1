import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Authorize: page headers, cookies and escaping")
struct AuthorizePageTests {
  @Test("pages carry CSP frame-ancestors 'none', X-Frame-Options, Referrer-Policy, no-store")
  func headers() async throws {
    let server = try await TestAuthorizationServer()
    var unknown = AuthorizeParameters()
    unknown.clientID = "nobody"
    try await server.run { [unknown] browser in
      for uri in [AuthorizeParameters().uri, unknown.uri] {
        let response = try await browser.get(uri)
        #expect(
          response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
        #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
        #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
        #expect(response.headers[.cacheControl] == "no-store")
      }
    }
  }

  @Test("session and CSRF cookies are HttpOnly, SameSite=Lax, Secure on https, scoped to the path")
  func cookieFlags() async throws {
    let server = try await TestAuthorizationServer(issuer: "https://auth.example.com/as")
    var parameters = AuthorizeParameters()
    parameters.path = "/as/authorize"
    try await server.run { [parameters] browser in
      let login = try await browser.get(parameters.uri)
      let csrf = try #require(
        login.headers[values: .setCookie].first { $0.hasPrefix("latchkey_csrf=") })
      for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/as"] {
        #expect(csrf.contains(flag))
      }
      let consent = try await browser.submit(
        login, replacing: ["username": nil],
        adding: [
          ("username", TestAuthorizationServer.username),
          ("password", TestAuthorizationServer.password),
        ])
      let session = try #require(
        consent.headers[values: .setCookie].first { $0.hasPrefix("latchkey_session=") })
      for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/as", "Max-Age="] {
        #expect(session.contains(flag))
      }
      #expect(!String(buffer: consent.body).contains(TestAuthorizationServer.password))
    }
  }

  @Test("an http loopback issuer drops Secure so local development works")
  func loopbackIssuer() async throws {
    let server = try await TestAuthorizationServer(issuer: "http://127.0.0.1:8080")
    try await server.run { browser in
      let login = try await browser.get(AuthorizeParameters().uri)
      let csrf = try #require(
        login.headers[values: .setCookie].first { $0.hasPrefix("latchkey_csrf=") })
      #expect(!csrf.contains("Secure"))
      #expect(csrf.contains("Path=/"))
    }
  }

  @Test("request values stay on the server: never reflected in the page, intact in the redirect")
  func requestValuesAreNotReflected() async throws {
    let server = try await TestAuthorizationServer()
    var parameters = AuthorizeParameters()
    parameters.state = "\"><script>alert(1)</script>"
    let redirect = try await server.run { [parameters] browser in
      let login = try await browser.get(parameters.uri)
      let html = String(buffer: login.body)
      #expect(!html.contains("<script>"))
      #expect(!html.contains("alert(1)"))
      #expect(try TestBrowser.form(in: login).value("state") == nil)
      return try await browser.authorizationRedirect(parameters)
    }
    #expect(redirect.query["state"] == parameters.state)
  }
}
