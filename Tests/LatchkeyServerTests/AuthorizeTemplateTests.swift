import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyServer
import LatchkeyTestSupport
import Testing

@Suite("Authorize: templates and client display")
struct AuthorizeTemplateTests {
  @Test("a template_directory overrides a built-in page; the others stay built in")
  func override() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("latchkey-templates-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try "<p>Custom error: {{message}}</p>".write(
      to: directory.appendingPathComponent("error.mustache"), atomically: true, encoding: .utf8)
    var server = try await TestAuthorizationServer()
    server.configuration.templateDirectory = directory.path
    var unknown = AuthorizeParameters()
    unknown.clientID = "nobody"
    try await server.run { [unknown] browser in
      let error = try await browser.get(unknown.uri)
      #expect(String(buffer: error.body).hasPrefix("<p>Custom error: "))
      let login = try await browser.get(AuthorizeParameters().uri)
      #expect(try TestBrowser.form(in: login).hasPasswordField)
    }
  }

  @Test("a metadata-document client is shown with the host of its client_id")
  func metadataDocumentHost() async throws {
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
      let login = try await browser.get(parameters.uri)
      let consent = try await browser.submit(
        login, replacing: ["username": nil],
        adding: [
          ("username", TestAuthorizationServer.username),
          ("password", TestAuthorizationServer.password),
        ])
      let html = String(buffer: consent.body)
      #expect(html.contains("Example Tools"))
      #expect(html.contains("tools.example.org"))
    }
  }
}
