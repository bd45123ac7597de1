import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Authorize: errors after the redirect URI is validated are redirects")
struct AuthorizeParameterErrorTests {
  struct Case: Sendable, CustomStringConvertible {
    var description: String
    var error: String
    var change: @Sendable (inout AuthorizeParameters) -> Void
  }

  static let cases: [Case] = [
    Case(description: "missing code_challenge", error: "invalid_request") {
      $0.codeChallenge = nil
    },
    Case(description: "plain method", error: "invalid_request") {
      $0.codeChallengeMethod = "plain"
    },
    Case(description: "missing method", error: "invalid_request") {
      $0.codeChallengeMethod = nil
    },
    Case(description: "malformed challenge", error: "invalid_request") {
      $0.codeChallenge = "short"
    },
    Case(description: "missing response_type", error: "invalid_request") {
      $0.responseType = nil
    },
    Case(description: "response_type=token", error: "unsupported_response_type") {
      $0.responseType = "token"
    },
    Case(description: "unknown resource", error: "invalid_target") {
      $0.resources = ["https://other.example.com/mcp"]
    },
    Case(description: "two resources", error: "invalid_target") {
      $0.resources = [TestAuthorizationServer.resourceURL, "https://other.example.com/mcp"]
    },
    Case(description: "malformed scope", error: "invalid_scope") {
      $0.scope = "notes:read \"notes\\write"
    },
  ]

  @Test("redirects with error, error_description, state and iss", arguments: cases)
  func redirected(_ testCase: Case) async throws {
    let server = try await TestAuthorizationServer()
    var parameters = AuthorizeParameters()
    testCase.change(&parameters)
    let issuer = server.issuer
    try await server.run { [parameters] browser in
      let response = try await browser.get(parameters.uri)
      #expect(response.status == .seeOther)
      let redirect = try AuthorizationRedirect(response)
      #expect(redirect.target == TestAuthorizationServer.redirectURI)
      #expect(redirect.query["error"] == testCase.error)
      #expect(redirect.query["error_description"] != nil)
      #expect(redirect.query["state"] == parameters.state)
      #expect(redirect.query["iss"] == issuer)
      #expect(redirect.query["code"] == nil)
    }
    #expect(try await server.allGrants().isEmpty)
  }
}
