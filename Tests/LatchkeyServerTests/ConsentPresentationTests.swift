import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyTestSupport
import Testing

@testable import LatchkeyServer

@Suite("Authorize: how the pages present the client, the server and the scopes")
struct ConsentPresentationTests {
  /// Signs in on the login page of `parameters` and returns the login page and the next page.
  static func signIn(_ browser: TestBrowser, _ parameters: AuthorizeParameters) async throws
    -> (login: String, consent: String)
  {
    let login = try await browser.get(parameters.uri)
    let consent = try await browser.submit(
      login, replacing: ["username": nil],
      adding: [
        ("username", TestAuthorizationServer.username),
        ("password", TestAuthorizationServer.password),
      ])
    return (String(buffer: login.body), String(buffer: consent.body))
  }

  @Test("the login page names the server the password goes to and the client")
  func loginNamesServerAndClient() async throws {
    let server = try await TestAuthorizationServer(issuer: "https://auth.example.com:8443/as")
    var parameters = AuthorizeParameters()
    parameters.path = "/as/authorize"
    try await server.run { [parameters] browser in
      let html = String(buffer: try await browser.get(parameters.uri).body)
      #expect(html.contains("Signing in to <strong>auth.example.com:8443</strong>"))
      #expect(html.contains("to continue to <strong>Test Client</strong>"))
      #expect(html.contains("Test Client never sees it"))
    }
  }

  @Test("the focus starts on the username, and on the password after a failed attempt")
  func autofocus() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      let login = try await browser.get(AuthorizeParameters().uri)
      let html = String(buffer: login.body)
      #expect(html.contains(#"name="username" value="""#))
      #expect(html.contains(#"spellcheck="false" required autofocus>"#))
      #expect(html.contains(#"autocomplete="current-password" required>"#))
      let again = try await browser.submit(
        login, replacing: ["username": nil],
        adding: [("username", TestAuthorizationServer.username), ("password", "wrong")])
      let retry = String(buffer: again.body)
      #expect(retry.contains(#"spellcheck="false" required>"#))
      #expect(retry.contains(#"autocomplete="current-password" required autofocus>"#))
    }
  }

  @Test("a client an operator added is marked as such, without the unverified warning")
  func preregisteredClient() async throws {
    let server = try await TestAuthorizationServer()
    try await server.run { browser in
      let consent = try await Self.signIn(browser, AuthorizeParameters()).consent
      #expect(consent.contains("Added by this server’s administrator"))
      #expect(!consent.contains("Nobody has verified"))
      #expect(consent.contains("<h1>Test Client wants access to Notes</h1>"))
      #expect(consent.contains("Signed in to <strong>auth.example.com</strong> as <strong>alice"))
      #expect(consent.contains("<code>127.0.0.1:51234</code> (an application on this device)"))
    }
  }

  @Test("a dynamically registered client gets the unverified warning; its name stays escaped")
  func dynamicClientWarning() async throws {
    let server = try await TestAuthorizationServer()
    let name = "<b>Evil</b> & \"Co\""
    try await server.store.insertClient(
      Client(
        id: "dynamic-client", name: name, origin: .dynamic,
        redirectURIs: [TestAuthorizationServer.redirectURI], createdAt: server.clock.now()))
    var parameters = AuthorizeParameters()
    parameters.clientID = "dynamic-client"
    try await server.run { [parameters] browser in
      let pages = try await Self.signIn(browser, parameters)
      for html in [pages.login, pages.consent] {
        #expect(!html.contains("<b>Evil"))
        #expect(html.contains("&lt;b&gt;Evil&lt;/b&gt; &amp; &quot;Co&quot;"))
      }
      #expect(pages.consent.contains("Nobody has verified this application."))
      #expect(pages.consent.contains("Unverified application"))
      #expect(!pages.consent.contains("Added by this server’s administrator"))
      // The monogram is the first letter of the name, never markup.
      #expect(pages.consent.contains(#"<div class="monogram" aria-hidden="true">B</div>"#))
    }
  }

  @Test("a metadata-document client is vouched for by its host, in a warning")
  func metadataDocumentWarning() async throws {
    let server = try await TestAuthorizationServer()
    let clientID = "https://tools.example.org/oauth/client.json"
    server.fetcher.set(
      clientID,
      StubHTTPFetcher.json(
        #"{"client_id":"\#(clientID)","client_name":"Example Tools","redirect_uris":["\#(TestAuthorizationServer.redirectURI)"]}"#
      ))
    var parameters = AuthorizeParameters()
    parameters.clientID = clientID
    try await server.run { [parameters] browser in
      let consent = try await Self.signIn(browser, parameters).consent
      #expect(consent.contains("This application is described by tools.example.org."))
      #expect(consent.contains("Published by tools.example.org"))
      #expect(!consent.contains("Nobody has verified"))
    }
  }

  @Test("each scope is explained in words; a scope without a description says so")
  func scopeWords() async throws {
    var server = try await TestAuthorizationServer()
    server.configuration.resources[0].scopes[1].description = "  "
    var parameters = AuthorizeParameters()
    parameters.scope = "notes:read notes:write"
    try await server.run { [parameters] browser in
      let consent = try await Self.signIn(browser, parameters).consent
      #expect(consent.contains("Read your notes <code class=\"scope-name\">notes:read</code>"))
      #expect(
        consent.contains(
          "Use the “notes:write” permission (this server gives no description of it)"))
    }
  }

  @Test("the error page names the server")
  func errorPageNamesServer() async throws {
    let server = try await TestAuthorizationServer()
    var unknown = AuthorizeParameters()
    unknown.clientID = "nobody"
    try await server.run { [unknown] browser in
      let html = String(buffer: try await browser.get(unknown.uri).body)
      #expect(html.contains("<strong>auth.example.com</strong>"))
      #expect(html.contains("Nothing was shared with the application."))
    }
  }

  @Test(
    "the redirect target: host and port, loopback on this device, private-use scheme",
    arguments: [
      ("https://app.example.com/cb", "app.example.com", false),
      ("https://app.example.com:8443/cb", "app.example.com:8443", false),
      ("http://127.0.0.1:5000/cb", "127.0.0.1:5000", true),
      ("http://localhost/cb", "localhost", true),
      ("http://[::1]:7000/cb", "[::1]:7000", true),
      ("com.example.app:/oauth", "com.example.app:", true),
      ("cursor://anysphere.cursor-mcp/oauth/callback", "cursor://anysphere.cursor-mcp", true),
    ])
  func redirectTarget(uri: String, target: String, onDevice: Bool) {
    let client = Client(
      id: "c", name: "C", origin: .dynamic, redirectURIs: [uri], createdAt: Date())
    let presentation = ClientPresentation.of(client, redirectURI: uri)
    #expect(presentation.redirectTarget == target)
    #expect(presentation.redirectIsOnDevice == onDevice)
    #expect(presentation.trust == .selfRegistered)
  }

  @Test("monogram and issuer host")
  func monogramAndIssuerHost() {
    #expect(ClientPresentation.monogram("claude code") == "C")
    #expect(ClientPresentation.monogram("  <b>x") == "B")
    #expect(ClientPresentation.monogram("—") == "?")
    #expect(ClientPresentation.issuerHost("https://auth.example.com/tenant") == "auth.example.com")
    #expect(ClientPresentation.issuerHost("http://127.0.0.1:8080") == "127.0.0.1:8080")
  }
}
