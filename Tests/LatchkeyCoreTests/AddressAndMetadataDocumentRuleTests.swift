import Foundation
import LatchkeyCore
import Testing

@Suite("SSRF address rule (RFC 6890) and client ID metadata document rule")
struct AddressAndMetadataDocumentRuleTests {
  @Test(arguments: [
    ("127.0.0.1", true), ("10.1.2.3", true), ("172.16.0.1", true), ("172.31.255.255", true),
    ("172.32.0.1", false), ("192.168.1.1", true), ("169.254.169.254", true), ("100.64.0.1", true),
    ("0.0.0.0", true), ("224.0.0.1", true), ("255.255.255.255", true), ("192.0.2.10", true),
    ("8.8.8.8", false), ("93.184.216.34", false), ("::1", true), ("::", true), ("fe80::1", true),
    ("fc00::1", true), ("fd12:3456::1", true), ("::ffff:127.0.0.1", true),
    ("::ffff:8.8.8.8", false),
    ("2001:db8::1", true), ("2606:4700:4700::1111", false), ("[::1]", true), ("fe80::1%eth0", true),
    ("not an ip", true), ("1.2.3", true), ("01.2.3.4", true), ("256.1.1.1", true),
  ])
  func specialUseAddresses(address: String, special: Bool) {
    #expect(SpecialUseAddressRule.isSpecialUse(address) == special)
  }

  @Test(arguments: [
    ("https://app.example.com/client.json", nil as String?),
    ("https://app.example.com:8443/c", nil),
    ("http://app.example.com/c", "client_id must be an https URL"),
    ("https://app.example.com", "client_id must have a path"),
    ("https://app.example.com/", "client_id must have a path"),
    ("https://app.example.com/a/./c", "client_id must not contain dot segments"),
    ("https://app.example.com/a/../c", "client_id must not contain dot segments"),
    ("https://app.example.com/c#x", "client_id must not contain a fragment"),
    ("https://user:pw@app.example.com/c", "client_id must not contain userinfo"),
    ("https://app.example.com/c?q=1", "client_id must not contain a query"),
  ])
  func clientIDURLs(url: String, problem: String?) {
    #expect(ClientIDMetadataDocumentRule.validateClientIDURL(url) == problem)
  }

  @Test func aValidDocumentBecomesAPublicNativeClient() throws {
    let url = "https://app.example.com/client.json"
    let body = Array(
      #"{"client_id":"\#(url)","client_name":"App","redirect_uris":["http://127.0.0.1/cb","com.example.app:/cb"]}"#
        .utf8)
    let client = try ClientIDMetadataDocumentRule.client(from: body, url: url, at: Date()).get()
    #expect(client.id == url && client.origin == .metadataDocument)
    #expect(client.tokenEndpointAuthMethod == .none)
    #expect(client.grantTypes == [.authorizationCode, .refreshToken])
  }

  @Test(arguments: [
    #"{"client_id":"https://other.example/c","client_name":"A","redirect_uris":["http://127.0.0.1/cb"]}"#,
    #"{"client_id":"https://app.example.com/client.json","redirect_uris":["http://127.0.0.1/cb"]}"#,
    #"{"client_id":"https://app.example.com/client.json","client_name":"A"}"#,
    #"{"client_id":"https://app.example.com/client.json","client_name":"A","redirect_uris":["http://evil.example/cb"]}"#,
    #"{"client_id":"https://app.example.com/client.json","client_name":"A","redirect_uris":["http://127.0.0.1/cb"],"client_secret":"x"}"#,
    #"{"client_id":"https://app.example.com/client.json","client_name":"A","redirect_uris":["http://127.0.0.1/cb"],"token_endpoint_auth_method":"private_key_jwt"}"#,
    "[]",
  ])
  func invalidDocumentsAreInvalidClient(document: String) {
    let result = ClientIDMetadataDocumentRule.client(
      from: Array(document.utf8), url: "https://app.example.com/client.json", at: Date())
    guard case .failure(let error) = result else {
      Issue.record("accepted \(document)")
      return
    }
    #expect(error.code == .invalidClient)
  }
}

/// Issue 24 §4: ChatGPT's client metadata documents use `private_key_jwt` with `jwks_uri`.
@Suite struct PrivateKeyJWTMetadataDocumentTests {
  static let url = "https://chatgpt.example/oauth/abc/client.json"
  static func document(_ extra: String) -> [UInt8] {
    Array(
      #"{"client_id":"\#(url)","client_name":"ChatGPT","redirect_uris":["https://chatgpt.example/connector/oauth/abc"],"token_endpoint_auth_method":"private_key_jwt"\#(extra)}"#
        .utf8)
  }

  @Test func aDocumentWithAnHTTPSJWKSURIBecomesAPrivateKeyJWTClient() throws {
    let client = try ClientIDMetadataDocumentRule.client(
      from: Self.document(#","jwks_uri":"https://chatgpt.example/oauth/abc/jwks.json""#),
      url: Self.url, at: Date()
    ).get()
    #expect(client.tokenEndpointAuthMethod == .privateKeyJWT)
    #expect(client.jwksURI == "https://chatgpt.example/oauth/abc/jwks.json")
    #expect(client.jwks == nil && client.secretHash == nil)
  }

  @Test func inlineKeysAreKeptAsSortedJSON() throws {
    let client = try ClientIDMetadataDocumentRule.client(
      from: Self.document(#","jwks":{"keys":[{"y":"b","x":"a","kty":"EC","crv":"P-256"}]}"#),
      url: Self.url, at: Date()
    ).get()
    #expect(client.jwks == #"{"keys":[{"crv":"P-256","kty":"EC","x":"a","y":"b"}]}"#)
  }

  @Test(arguments: [
    "", #","jwks_uri":"http://chatgpt.example/jwks.json""#,
    #","jwks_uri":"https://a.example/j","jwks":{"keys":[]}"#, #","jwks":[1]"#,
  ])
  func keylessOrAmbiguousDocumentsAreInvalidClient(extra: String) {
    let result = ClientIDMetadataDocumentRule.client(
      from: Self.document(extra), url: Self.url, at: Date())
    guard case .failure(let error) = result else {
      Issue.record("accepted \(extra)")
      return
    }
    #expect(error.code == .invalidClient)
  }
}
