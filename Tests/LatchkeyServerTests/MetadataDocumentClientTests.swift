import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyCore
import LatchkeyServer
import LatchkeyTestSupport
import Testing

/// Client ID metadata documents through `/authorize` and `/token`, with a stub fetcher.
@Suite("Client ID metadata documents")
struct MetadataDocumentClientTests {
  static let clientID = "https://app.example.org/oauth/client-metadata.json"

  static func document(
    clientID: String = clientID, redirect: String = TestAuthorizationServer.redirectURI,
    extra: String = ""
  ) -> String {
    #"{"client_id":"\#(clientID)","client_name":"Example App","redirect_uris":["\#(redirect)"]\#(extra)}"#
  }

  static func parameters() -> AuthorizeParameters {
    var parameters = AuthorizeParameters()
    parameters.clientID = clientID
    return parameters
  }

  @Test func aDocumentClientAuthorizesAndRedeemsItsCode() async throws {
    let server = try await TestAuthorizationServer()
    server.fetcher.set(
      Self.clientID, StubHTTPFetcher.json(Self.document(), cacheControl: "max-age=600"))
    try await server.run { browser in
      let parameters = Self.parameters()
      let authorization = try await browser.authorize(parameters)
      let tokens = try await browser.redeem(code: authorization.code, parameters)
      #expect(tokens.status == .ok)
      // A second authorization inside max-age uses the cached document.
      _ = try await browser.authorize(parameters)
    }
    #expect(server.fetcher.fetchCount(Self.clientID) == 1)
    let client = try #require(try await server.store.client(id: Self.clientID))
    #expect(client.origin == .metadataDocument && client.tokenEndpointAuthMethod == .none)
  }

  @Test func noStoreDocumentsAreFetchedEveryTime() async throws {
    let server = try await TestAuthorizationServer()
    server.fetcher.set(
      Self.clientID, StubHTTPFetcher.json(Self.document(), cacheControl: "no-store"))
    try await server.run { browser in
      _ = try await browser.get(Self.parameters().uri)
      _ = try await browser.get(Self.parameters().uri)
    }
    #expect(server.fetcher.fetchCount(Self.clientID) == 2)
  }

  /// Each broken document or fetch: a 400 page, no redirect, no client row, no grant.
  @Test(
    arguments: [
      (
        "mismatched client_id",
        StubHTTPFetcher.json(document(clientID: "https://evil.example/c.json"))
      ),
      ("redirect not listed", StubHTTPFetcher.json(document(redirect: "http://127.0.0.1:9/other"))),
      (
        "shared secret",
        StubHTTPFetcher.json(
          document(extra: #","token_endpoint_auth_method":"client_secret_basic""#))
      ),
      ("not JSON", StubHTTPFetcher.json("<html>")),
      (
        "duplicate redirect_uris",
        StubHTTPFetcher.json(document(extra: #","redirect_uris":["https://evil.example/cb"]"#))
      ),
      (
        "duplicate client_id",
        StubHTTPFetcher.json(document(extra: #","client_id":"https://evil.example/c.json""#))
      ),
      (
        "javascript policy_uri",
        StubHTTPFetcher.json(document(extra: #","policy_uri":"javascript:alert(1)""#))
      ),
      (
        "NUL in logo_uri",
        StubHTTPFetcher.json(document(extra: #","logo_uri":"https://app.example.org/l\u0000.png""#))
      ),
      ("HTTP 404", .success(HTTPFetchResponse(status: 404, headers: [:], body: []))),
      ("redirected", .failure(HTTPFetchError.redirected)),
      ("private address", .failure(HTTPFetchError.forbiddenAddress)),
      (
        "too large",
        StubHTTPFetcher.json(
          document(extra: #","x":""# + String(repeating: "a", count: 6000) + #"""#))
      ),
    ] as [(String, Result<HTTPFetchResponse, HTTPFetchError>)])
  func aBadDocumentIsAnErrorPage(label: String, answer: Result<HTTPFetchResponse, HTTPFetchError>)
    async throws
  {
    let server = try await TestAuthorizationServer()
    server.fetcher.set(Self.clientID, answer)
    try await server.run { browser in
      let page = try await browser.get(Self.parameters().uri)
      #expect(page.status == .badRequest, "\(label)")
      #expect(page.headers[.location] == nil)
    }
    if label != "redirect not listed" {
      #expect(try await server.store.client(id: Self.clientID) == nil, "\(label)")
    }
    #expect(try await server.allGrants().isEmpty)
  }

  @Test(arguments: [
    "https://app.example.org/", "https://app.example.org/a/../c.json",
    "https://u@app.example.org/c",
    "https://app.example.org/c?x=1",
  ])
  func unacceptableClientIDURLsAreRefusedWithoutFetching(clientID: String) async throws {
    let server = try await TestAuthorizationServer()
    var parameters = AuthorizeParameters()
    parameters.clientID = clientID
    try await server.run { [parameters] browser in
      let page = try await browser.get(parameters.uri)
      #expect(page.status == .badRequest)
    }
    #expect(server.fetcher.fetchCount(clientID) == 0)
  }

  @Test func disabledOrDeniedHostsAreRefused() async throws {
    var server = try await TestAuthorizationServer()
    server.fetcher.set(Self.clientID, StubHTTPFetcher.json(Self.document()))
    server.configuration.registration.metadataDocumentDenyHosts = ["app.example.org"]
    try await server.run { browser in
      let page = try await browser.get(Self.parameters().uri)
      #expect(page.status == .badRequest)
    }
    server.configuration.registration.metadataDocumentDenyHosts = []
    server.configuration.registration.metadataDocumentAllowHosts = ["other.example"]
    try await server.run { browser in
      let page = try await browser.get(Self.parameters().uri)
      #expect(page.status == .badRequest)
    }
    server.configuration.registration.metadataDocumentAllowHosts = []
    server.configuration.registration.metadataDocumentsEnabled = false
    try await server.run { browser in
      let page = try await browser.get(Self.parameters().uri)
      #expect(page.status == .badRequest)
      let metadata = try await browser.get("/.well-known/oauth-authorization-server")
      #expect(try Wire.json(metadata)["client_id_metadata_document_supported"] as? Bool == false)
    }
    #expect(server.fetcher.fetchCount(Self.clientID) == 0)
  }
}
