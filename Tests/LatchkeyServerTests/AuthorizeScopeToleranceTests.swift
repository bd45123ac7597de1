import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyServer
import LatchkeyTestSupport
import Testing

/// Issue 24 §2: scope values real clients send that the resource does not offer (`claudeai`,
/// `read write`, `openid email profile`) no longer end the flow: RFC 6749 §3.3 lets the AS
/// grant less, and the token response says what was granted.
@Suite("Authorize: scope tolerance (grant the known subset)")
struct AuthorizeScopeToleranceTests {
  @Test(arguments: [
    ("claudeai", ["notes:read"]),
    ("read write", ["notes:read"]),
    ("openid email profile", ["notes:read"]),
    (" offline_access", ["notes:read"]),
    ("notes:write openid", ["notes:write"]),
    ("notes:read  notes:write ", ["notes:read", "notes:write"]),
    ("notes:read+notes:write", ["notes:read", "notes:write"]),
    ("notes:write claudeai offline_access", ["notes:write"]),
  ])
  func unknownValuesAreDroppedAndTheTokenSaysWhatWasGranted(scope: String, granted: [String])
    async throws
  {
    let server = try await TestAuthorizationServer()
    var parameters = AuthorizeParameters()
    parameters.scope = scope
    let body = try await server.run { [parameters] browser in
      let (code, _, _) = try await browser.authorize(parameters)
      let token = try await browser.redeem(code: code, parameters)
      #expect(token.status == .ok)
      return String(buffer: token.body)
    }
    #expect(body.contains(#""scope":"\#(granted.joined(separator: " "))""#))
    #expect(try await server.allGrants().map(\.scopes) == [ScopeSet(granted)])
  }

  @Test("dropped values are audited and named on the consent page")
  func droppedValuesAreAuditedAndShown() async throws {
    let server = try await TestAuthorizationServer()
    var parameters = AuthorizeParameters()
    parameters.scope = "notes:read claudeai"
    try await server.run { [parameters] browser in
      let consent = try await AuthorizeInteractionTests.consentPage(browser, parameters)
      let html = String(buffer: consent.body)
      #expect(html.contains("also asked for <code>claudeai</code>"))
    }
    let dropped = try await server.auditEvents(type: "scope.dropped")
    #expect(dropped.count == 1)
    #expect(dropped.first?.scopes == ScopeSet(["claudeai"]))
  }
}
