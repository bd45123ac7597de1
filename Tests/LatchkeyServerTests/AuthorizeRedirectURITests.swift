import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Authorize: client and redirect URI errors are pages, never redirects")
struct AuthorizeRedirectURITests {
  static let refusedRedirectURIs = [
    "http://127.0.0.1:51234/callbacc",  // one character
    "http://127.0.0.1:51234/callback/",  // trailing slash
    "http://127.0.0.1:51234/Callback",  // case
    "http://127.0.0.1:51234/callback?x=1",  // query
    "http://localhost:51234/callback",  // another loopback host
    "http://[::1]:51234/callback",  // another loopback host
    "https://127.0.0.1:51234/callback",  // scheme
    "https://evil.example/callback",
  ]

  @Test("a redirect URI that does not match is a 400 page", arguments: refusedRedirectURIs)
  func refused(_ redirectURI: String) async throws {
    let server = try await TestAuthorizationServer()
    var parameters = AuthorizeParameters()
    parameters.redirectURI = redirectURI
    try await server.run { [parameters] browser in
      let response = try await browser.get(parameters.uri)
      #expect(response.status == .badRequest)
      #expect(response.headers[.location] == nil)
      #expect(String(buffer: response.body).contains("redirect URI is not registered"))
    }
    #expect(try await server.allGrants().isEmpty)
  }

  @Test("a loopback redirect URI with another port is accepted (RFC 8252 §7.3)")
  func loopbackPort() async throws {
    let server = try await TestAuthorizationServer()
    var parameters = AuthorizeParameters()
    parameters.redirectURI = "http://127.0.0.1:8123/callback"
    let redirect = try await server.run { [parameters] browser in
      try await browser.authorizationRedirect(parameters)
    }
    #expect(redirect.target == "http://127.0.0.1:8123/callback")
    #expect(redirect.query["code"] != nil)
  }

  @Test("unknown, https (metadata document) and missing client_id are 400 pages")
  func clientErrors() async throws {
    let server = try await TestAuthorizationServer()
    for clientID in ["nobody", "https://client.example/metadata.json", nil] {
      var parameters = AuthorizeParameters()
      parameters.clientID = clientID
      try await server.run { [parameters] browser in
        let response = try await browser.get(parameters.uri)
        #expect(response.status == .badRequest)
        #expect(response.headers[.location] == nil)
        #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
      }
    }
    #expect(try await server.allGrants().isEmpty)
  }

  @Test("errors before the client is known are pages even with a bad response_type")
  func pageBeforeRedirect() async throws {
    let server = try await TestAuthorizationServer()
    var parameters = AuthorizeParameters()
    parameters.clientID = "nobody"
    parameters.responseType = "token"
    try await server.run { [parameters] browser in
      let response = try await browser.get(parameters.uri)
      #expect(response.status == .badRequest)
      #expect(response.headers[.location] == nil)
    }
  }
}
